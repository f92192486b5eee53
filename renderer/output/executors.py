"""Executors that segments run on: the standard `concurrent.futures.Executor` interface.

`--workers N` uses a local process pool. Workers are *spawned*, not forked, so each starts clean
and creates its own EGL context (a GL context must never cross a fork), then keeps it warm across
segments. `--scheduler ADDRESS` sends segments to a Dask distributed cluster through
`Client.get_executor(retries=...)`, so a segment lost with a failed worker is retried elsewhere.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from renderer.errors import InputError

__all__ = ["make_executor"]


@contextlib.contextmanager
def make_executor(workers: int = 1, scheduler: str | None = None, retries: int = 2):
    """Yield an Executor (or None for in-process rendering) and shut it down afterwards."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise InputError("--scheduler needs Dask distributed: pip install 'dreamscape[cluster]'") from None
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as exc:
            raise InputError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
        try:
            yield client.get_executor(retries=retries, pure=False)
        finally:
            client.close()
        return
    if workers <= 1:
        yield None
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
