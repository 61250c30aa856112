"""The one job runner: every command that processes cases runs its tasks here.

``run``, ``pseudonymise``, ``predict``, ``handouts`` and ``sessie`` hand a list of
tasks and a module-level function to :func:`run_tasks`. With one worker the tasks
run in this process; with more, in a process pool whose workers build their heavy
things once (``init``), ignore Ctrl-C (the parent handles it) and exit as soon as
the parent is gone. Ctrl-C cancels the queued tasks, stops the workers and raises
:class:`Interrupted`. A task that raises something other than a
:class:`~leerwerkplaats.core.errors.LeerwerkplaatsError` is a bug: it becomes
:class:`WorkerBug`, whose message names the exception class only (messages may
quote case text), with the file and line logged at debug level (``-vv``).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, ProcessPoolExecutor, wait
from typing import Any, Callable, Sequence, TypeVar

from leerwerkplaats.core.errors import LeerwerkplaatsError

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class Interrupted(LeerwerkplaatsError):
    """The run was stopped by Ctrl-C; ``finished`` of ``total`` tasks were done."""

    def __init__(self, finished: int, total: int):
        self.finished, self.total = finished, total
        super().__init__(f"interrupted: {finished} of {total} file(s) were finished")


class WorkerBug(LeerwerkplaatsError):
    """A task failed in a way the toolkit did not foresee (a bug); the message holds no case text."""


def where(exc: BaseException) -> str:
    """``file:line`` of the innermost frame of an exception (never its message)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{os.path.basename(last.filename)}:{last.lineno}"


def bug(exc: BaseException, what: str) -> WorkerBug:
    """A :class:`WorkerBug` for ``exc`` met while doing ``what`` (no case text), logged at debug level."""
    log.debug("unexpected %s at %s while %s", exc.__class__.__name__, where(exc), what)
    return WorkerBug(f"unexpected error ({exc.__class__.__name__}) while {what}; this is a bug: please report it "
                     "with the output of 'leerwerkplaats -vv --version' and the command you ran")


def _watch_parent(parent: int) -> None:
    """Exit this worker as soon as its parent is gone (killed, crashed)."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def _start_worker(parent: int, init: Callable[..., None] | None, init_args: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if init is not None:
        init(*init_args)


def _call(work: Callable[[Any], Any], task: Any) -> Any:
    try:
        return work(task)
    except LeerwerkplaatsError:
        raise
    except Exception as exc:
        raise bug(exc, f"running {getattr(work, '__name__', 'a task')}") from None


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel queued work and end the workers now (they ignore Ctrl-C)."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    for proc in processes:
        proc.join(timeout=5)


def run_tasks(tasks: Sequence[T], work: Callable[[T], R], *, init: Callable[..., None] | None = None,
              init_args: tuple = (), workers: int = 1, on_start: Callable[[int], None] | None = None,
              on_result: Callable[[R], None] | None = None) -> list[R]:
    """Run ``work`` on every task; returns the results in task order.

    ``work`` and ``init`` must be module-level functions (they are sent to the
    workers). ``on_start(total)`` is called once the workers are forked (a
    progress bar starts then), ``on_result`` in the parent for each result as it
    comes in; an exception it raises stops the run (the workers are stopped).
    """
    total = len(tasks)
    results: dict[int, R] = {}
    workers = max(1, min(workers, total or 1))

    def done(index: int, result: R) -> None:
        results[index] = result
        if on_result:
            on_result(result)

    try:
        if workers == 1:
            if init is not None:
                init(*init_args)
            if on_start:
                on_start(total)
            for index, task in enumerate(tasks):
                done(index, _call(work, task))
        else:
            pool = ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(os.getpid(), init, init_args))
            try:
                futures = {pool.submit(_call, work, task): i for i, task in enumerate(tasks)}
                if on_start:
                    on_start(total)
                pending = set(futures)
                while pending:
                    finished, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        done(futures[fut], fut.result())
            except BrokenExecutor:
                _stop_pool(pool)
                raise LeerwerkplaatsError("a worker process died (out of memory, or killed); nothing was "
                                          "written: run again, with fewer workers (-j 1)") from None
            except BaseException:
                _stop_pool(pool)
                raise
            pool.shutdown(wait=True)
    except KeyboardInterrupt:
        raise Interrupted(len(results), total) from None
    return [results[i] for i in range(total)]
