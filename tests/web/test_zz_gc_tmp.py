import gc
def test_zz_gc():
    gc.collect()
