"""A store shared by every session, for what a cached function cannot make: the least recently used
entries go first, and a lock guards it.

Made once per process with ``st.cache_resource``; the training page keeps each run's furthest checkpoint
in one, the sweep page its recent sweeps. Not a cached function of its own: a sweep moves a progress bar
made outside it (a cached function's element calls are replayed on every hit, and that bar is not on the
page then: Streamlit raises), and a training run resumes from what another session stored.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class SharedStore:
    """At most ``max_entries`` values by hashable key, safe to use from every session's thread."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
            return self._entries.get(key)

    def keys(self) -> list[Hashable]:
        """The stored keys, least recently used first."""
        with self._lock:
            return list(self._entries)

    def put(self, key: Hashable, value: Any, replace: Callable[[Any, Any], bool] | None = None) -> None:
        """Store ``value``; where ``key`` is stored already, only if ``replace(old, value)`` holds (always,
        without ``replace``)."""
        with self._lock:
            if key not in self._entries or replace is None or replace(self._entries[key], value):
                self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The stored value of ``key``, or else ``compute()``'s, stored. The store computes one value at a time
        (one computation already keeps the server's cores busy), and a session that waited takes the value
        another stored meanwhile: a class opening one link computes it once, as a cached function would."""
        value = self.get(key)
        if value is None:
            with self._computing:
                value = self.get(key)
                if value is None:
                    value = compute()
                    self.put(key, value)
        return value
