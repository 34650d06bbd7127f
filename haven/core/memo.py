"""Work several parts of one computation share, done once: inside ``remembering()`` (the KPI
catalogue's ``compute_all``, a returns rule registry's ``run``), ``remember(key, compute)``
computes each key once; outside it, every call computes afresh, so nothing is ever judged on
work kept from an earlier run."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("haven_memo", default=None)


@contextmanager
def remembering() -> Iterator[None]:
    """A fresh memory for the block (an enclosing one is set aside and restored after)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remember(key: Hashable, compute: Callable[[], object]):
    """``compute()``, once per key inside ``remembering()``; every time outside it."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
