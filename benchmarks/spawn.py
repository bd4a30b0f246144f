"""Run a command and write what it cost: ``python -S spawn.py RESULT TIMEOUT ARGV...``.

benchmarks/run.py starts every measured command through this small process rather than
directly: a child's peak memory (``ru_maxrss``) starts from the memory of the process it was
started from, so a command started by the benchmark itself (which holds the generated city)
would be charged for the benchmark's memory. Started from here it is charged for this
process's few megabytes at most. RESULT gets "cpu wall rss code system" of the command, from
``wait4``; after TIMEOUT seconds the command is killed (exit code -9).
"""

import os
import signal
import sys
import time


def main() -> None:
    result, timeout, argv = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ)
    done, status, usage = os.wait4(pid, os.WNOHANG)
    while done == 0:
        if time.perf_counter() - start > timeout:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)
        done, status, usage = os.wait4(pid, os.WNOHANG)
    wall = time.perf_counter() - start
    with open(result, "w") as out:
        out.write(f"{usage.ru_utime + usage.ru_stime} {wall} {usage.ru_maxrss} "
                  f"{os.waitstatus_to_exitcode(status)} {usage.ru_stime}\n")


main()
