"""Processes the build forks while the preview runs must not inherit its signal handlers."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import multiprocessing, signal, sys, threading
    from sitegen.serve.server import _reset_signals_in_children

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    if sys.argv[1] == "fixed":
        _reset_signals_in_children()

    def dispositions(_):
        return (signal.getsignal(signal.SIGTERM) == signal.SIG_DFL,
                signal.getsignal(signal.SIGINT) == signal.SIG_IGN)

    with multiprocessing.get_context("fork").Pool(2) as pool:
        print(pool.map(dispositions, range(2)))
    # leaving the block terminates the workers with SIGTERM: it must not hang
    print("done", signal.getsignal(signal.SIGTERM) != signal.SIG_DFL)
""")


def test_forked_workers_get_default_signals_and_the_pool_ends() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT, "fixed"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[(True, True), (True, True)]", "done True"]
