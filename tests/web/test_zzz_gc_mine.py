import gc
def test_zz_gc_mine():
    gc.collect()
