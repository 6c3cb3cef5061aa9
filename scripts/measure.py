"""Whole-command measurement shared by the benchmark scripts."""

import os
import subprocess
import time


def run_measured(cmd, env):
    """Runs `cmd` with its output discarded; its wall time in seconds and its peak resident
    memory in bytes. A failing command stops the benchmark."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss * 1024
