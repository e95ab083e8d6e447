"""Bounded work: at most ``running`` decodes at once and ``waiting`` requests
queued behind them. A request beyond that is refused at once (503 with
Retry-After) instead of piling up memory and latency."""
from __future__ import annotations

from typing import Callable, TypeVar

import anyio
import anyio.to_thread

T = TypeVar("T")


class Full(Exception):
    """No room: every decode slot is busy and the queue is full."""


class Admission:
    def __init__(self, running: int, waiting: int) -> None:
        self._limiter = anyio.CapacityLimiter(running)
        self.max_running = running
        self.max_waiting = waiting
        self.running = 0
        self.waiting = 0

    def admit(self) -> None:
        """Takes a place in the queue or raises Full. Call once per request,
        on the event loop, then ``run``; the place is given back by ``run``."""
        if self.running + self.waiting >= self.max_running + self.max_waiting:
            raise Full()
        self.waiting += 1

    def leave(self) -> None:
        """Gives back a place taken by ``admit`` when ``run`` will not be called."""
        self.waiting -= 1

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """Runs fn(*args) in a worker thread when a decode slot is free; gives
        back the place taken by ``admit``."""
        entered = False
        try:
            async with self._limiter:
                self.waiting -= 1
                self.running += 1
                entered = True
                try:
                    return await anyio.to_thread.run_sync(fn, *args)
                finally:
                    self.running -= 1
        finally:
            if not entered:
                self.waiting -= 1
