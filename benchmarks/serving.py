"""One Streamlit server for a benchmark that drives a browser: started on a free port, waited for, stopped."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(app: str | Path, cwd: str | Path | None = None, timeout: float = 120) -> Iterator[str]:
    """``streamlit run app`` (in ``cwd``) on a free port, as the tests serve it; yields its URL once its health
    check answers, and stops it afterwards."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(app), "--server.headless=true", f"--server.port={port}",
        "--server.address=127.0.0.1", "--server.fileWatcherType=none", "--browser.gatherUsageStats=false",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url, started = f"http://127.0.0.1:{port}", time.monotonic()
    try:
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                if time.monotonic() - started > timeout:
                    raise TimeoutError(f"{app} did not start in {timeout:g} s") from None
                time.sleep(0.02)  # a short poll: bench_wake times the start itself
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
