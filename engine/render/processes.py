"""Documents rendered side by side in worker processes (``loushi build --jobs N``).

Documents are independent values (see ``plan``), so N processes can render them at once. The
workers are forked once the plan is made: each starts with the plan, the template environment
and the writers already in its memory (nothing is pickled on the way in), takes every N-th
document that is due, and sends each one's files back as it makes them. The parent takes the
files in plan order, from worker ``i % N`` for the ``i``-th document, and hands them to the
output folder exactly as a one-process build does: the folder, the manifest and every byte are
the same whatever N is.

Memory stays bounded: a worker blocks on sending a document until the parent takes it (a pipe
holds a few of them at most), and the parent writes each document before it reads the next.
Where processes cannot be forked (Windows; a platform without ``fork``), the build renders in
its own process.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any, Callable, Iterator, Sequence

#: With ``jobs=0`` (one process per core), builds with fewer documents to render than this
#: render in one process: forking and sending cost more than the workers save.
PARALLEL_FROM = 200


def workers_for(jobs: int, due: int) -> int:
    """How many processes render ``due`` documents when ``--jobs`` is ``jobs`` (0: one per
    core, for big builds only); 1 where processes cannot be forked."""
    if jobs == 1 or due < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if jobs > 1:
        return min(jobs, due)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 1 if due < PARALLEL_FROM else min(cores, due)


def in_order(workers: int, tasks: Sequence[Any], work: Callable[[Any], Any]) -> Iterator[Any]:
    """``work(task)`` for every task, in the order of ``tasks``, computed in ``workers`` forked
    processes. An exception raised by ``work`` is raised here, when its task's turn comes."""
    context = multiprocessing.get_context("fork")
    pipes, processes = [], []
    try:
        for number in range(workers):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_serve, args=(send, tasks[number::workers], work), daemon=True)
            process.start()
            send.close()
            pipes.append(receive)
            processes.append(process)
        for number in range(len(tasks)):
            try:
                failed, value = pipes[number % workers].recv()
            except EOFError:  # the worker died (killed, out of memory) before sending this one
                raise RuntimeError(f"a worker process ended unexpectedly (exit code "
                                   f"{processes[number % workers].exitcode}); build with --jobs 1") from None
            if failed:
                raise value
            yield value
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
        for pipe in pipes:
            pipe.close()


def _serve(send, tasks: Sequence[Any], work: Callable[[Any], Any]) -> None:
    """A worker: each task's result, or the exception that stopped it (then nothing more)."""
    try:
        for task in tasks:
            send.send((False, work(task)))
    except Exception as exc:  # noqa: BLE001 (raised again in the parent, at this task's turn)
        try:
            send.send((True, exc))
        except Exception:  # an exception that does not pickle: its text
            send.send((True, RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        send.close()
