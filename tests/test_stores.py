"""SharedStore, the store every session shares: least recently used first out, replace rules, and one
computation per key however many sessions ask at once."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from rmsviz.ui.stores import SharedStore

SESSIONS = 16


def test_a_missing_key_is_none_and_a_stored_one_its_value():
    store = SharedStore(2)
    assert store.get("a") is None
    store.put("a", 1)
    assert store.get("a") == 1 and store.keys() == ["a"]


def test_the_least_recently_used_entry_goes_first():
    store = SharedStore(2)
    store.put("a", 1)
    store.put("b", 2)
    store.get("a")  # a is now the more recent
    store.put("c", 3)
    assert store.keys() == ["a", "c"] and store.get("b") is None


def further(old: int, new: int) -> bool:
    return new > old  # as the training page keeps a run's furthest epoch


def test_replace_keeps_the_old_value_unless_the_rule_says_so():
    store = SharedStore(4)
    store.put("run", 5)
    store.put("run", 3, replace=further)
    assert store.get("run") == 5
    store.put("run", 7, replace=further)
    assert store.get("run") == 7
    store.put("run", 1)  # without a rule, always
    assert store.get("run") == 1


def _at_once(calls):
    """Run every call on a thread of its own, all released at the same moment; their results in order."""
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_sessions_asking_for_one_key_at_once_compute_it_once_and_share_it():
    store, computed = SharedStore(4), []

    def compute():
        computed.append(1)
        time.sleep(0.05)  # long enough for every other session to arrive while it runs
        return object()

    values = _at_once([lambda: store.get_or_compute("sweep", compute)] * SESSIONS)
    assert len(computed) == 1
    assert all(v is values[0] for v in values) and store.get("sweep") is values[0]


def test_the_store_computes_one_value_at_a_time():
    store, running, most = SharedStore(SESSIONS), [0], [0]
    lock = threading.Lock()

    def compute(key):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.01)
        with lock:
            running[0] -= 1
        return key

    values = _at_once([lambda key=key: store.get_or_compute(key, lambda: compute(key)) for key in range(SESSIONS)])
    assert values == list(range(SESSIONS)) and most[0] == 1


def test_a_failed_computation_stores_nothing_and_the_next_session_tries_again():
    store = SharedStore(4)

    def fail():
        raise ValueError("over the caps")

    with pytest.raises(ValueError, match="over the caps"):
        store.get_or_compute("sweep", fail)
    assert store.keys() == []
    assert store.get_or_compute("sweep", lambda: 2) == 2
