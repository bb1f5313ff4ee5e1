"""A small load client that opens Streamlit sessions the way the browser does, without a browser.

The browser's side of the protocol (streamlit/web/server/starlette/starlette_websocket.py and
runtime/app_session.py on the server side):

1. Open a websocket on ``/_stcore/stream`` with the subprotocol ``streamlit``. A client without an
   ``Origin`` header is allowed; the XSRF token (the second subprotocol entry) only matters for auth
   cookies, and the third entry would resume an existing session, so a fresh tab sends neither (a tab
   whose websocket dropped sends the id its session was given in ``new_session``: ``open_session``'s
   ``resume``).
2. Send a ``BackMsg`` whose ``rerun_script`` is a ``ClientState``: the page's query string and its
   ``page_name``, which is the URL path name (``""`` for the default page, ``"noise"`` for
   ``/noise``); ``st.navigation`` resolves it to the page's script hash. No widget states and no
   cached message hashes: every message comes in full, as it does for a new tab.
3. Read binary ``ForwardMsg`` frames: ``new_session``, ``session_status_changed``,
   ``page_info_changed``, ``navigation``, ``delta`` (elements: an ``exception`` element is the red
   box a user sees, an ``alert`` of format ERROR is ``st.error``), ``page_not_found``, and finally
   ``script_finished``. ``FINISHED_EARLY_FOR_RERUN`` means another run follows (``st.rerun``), so
   the session waits for the next one.

``open_sessions`` opens many sessions at the same moment (the class opening one link) and returns
one ``SessionResult`` each, with the time from that moment to ``script_finished``. Loopback only:
the URL must point at 127.0.0.1 or localhost.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlparse

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_SESSIONS = 1000
DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}


@dataclass
class SessionResult:
    """What one session got: timing, bytes, and every exception or error element it was sent."""

    page: str
    seconds: float | None = None  # from the common start to script_finished; None if it never came
    status: str | None = None  # the last ScriptFinishedStatus name
    bytes_received: int = 0  # websocket payload bytes (the HTTP page and static files not included)
    messages: int = 0
    exceptions: list[str] = field(default_factory=list)  # "Type: message" of each exception element
    errors: list[str] = field(default_factory=list)  # the body of each st.error alert
    page_not_found: bool = False
    failure: str | None = None  # a connection error or a timeout
    session_id: str | None = None  # what the server named the session (new_session), to resume it with
    charts: list[str] | None = None  # each Plotly chart's spec (JSON), when the session was asked to keep them

    @property
    def ok(self) -> bool:
        """Finished successfully with no exception, no error alert and the page found."""
        return (
            self.status == "FINISHED_SUCCESSFULLY"
            and not self.exceptions
            and not self.errors
            and not self.page_not_found
            and self.failure is None
        )


def stream_url(base_url: str) -> str:
    """``http://127.0.0.1:8501`` -> ``ws://127.0.0.1:8501/_stcore/stream``; refuses non-loopback hosts."""
    parsed = urlparse(base_url)
    if parsed.hostname not in LOOPBACK:
        raise ValueError(f"load client is for loopback servers only, got {parsed.hostname!r}")
    return f"ws://{parsed.netloc}{parsed.path.rstrip('/')}/_stcore/stream"


def rerun_message(page: str = "", query_string: str = "") -> bytes:
    """The BackMsg a new browser tab sends for ``/<page>?<query_string>``."""
    msg = BackMsg()
    msg.rerun_script.query_string = query_string
    msg.rerun_script.page_name = page
    return msg.SerializeToString()


def record(msg: ForwardMsg, result: SessionResult) -> bool:
    """Note what a message tells about the session; True once the script run is over."""
    kind = msg.WhichOneof("type")
    if kind == "new_session":
        result.session_id = msg.new_session.initialize.session_id
    if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
        element = msg.delta.new_element
        which = element.WhichOneof("type")
        if which == "plotly_chart" and result.charts is not None:
            result.charts.append(element.plotly_chart.spec)
        elif which == "exception":
            result.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif which == "alert" and element.alert.format == Alert.ERROR:
            result.errors.append(element.alert.body)
    elif kind == "page_not_found":
        result.page_not_found = True
    elif kind == "script_finished":
        result.status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
        return msg.script_finished in DONE
    return False


async def read_run(ws: websockets.ClientConnection, result: SessionResult, start: float) -> None:
    """Read ForwardMsgs into ``result`` until the script run is over."""
    async for frame in ws:
        result.bytes_received += len(frame)
        result.messages += 1
        msg = ForwardMsg()
        msg.ParseFromString(frame)
        if record(msg, result):
            result.seconds = time.perf_counter() - start
            return
    result.failure = "the server closed the websocket before script_finished"


async def open_session(
    url: str,
    page: str = "",
    query_string: str = "",
    *,
    start: float | None = None,
    timeout: float = 120.0,
    hold: Callable[[], Awaitable[None]] | None = None,
    resume: str | None = None,
    keep_charts: bool = False,
) -> SessionResult:
    """Open one session on ``/<page>?<query_string>`` and read until its script run finished.

    ``resume`` is the id of a session whose websocket dropped: the server reconnects to it while it still
    keeps it (``server.disconnectedSessionTTL``), as a tab does when a phone wakes up, else starts a new one.
    ``keep_charts`` keeps each chart's spec in the result.

    ``start`` is the ``time.perf_counter()`` the time to ``script_finished`` counts from (default:
    now), and ``timeout`` runs from it. ``hold`` is awaited once the run is over (or failed) with
    the websocket still open, as a tab stays open. Never raises for a server-side problem: a refused
    connection or a timeout lands in ``failure``.
    """
    start = time.perf_counter() if start is None else start
    result = SessionResult(page=page, charts=[] if keep_charts else None)
    held = False
    # the second entry, the XSRF token, is only read with an Origin header, which this client never sends
    subprotocols = ["streamlit", "no-xsrf", resume] if resume else ["streamlit"]
    try:
        async with websockets.connect(
            stream_url(url), subprotocols=subprotocols, max_size=None, open_timeout=timeout, ping_interval=None
        ) as ws:
            try:
                async with asyncio.timeout(max(0.0, start + timeout - time.perf_counter())):
                    await ws.send(rerun_message(page, query_string))
                    await read_run(ws, result, start)
            except TimeoutError:
                result.failure = f"no script_finished within {timeout:g} s"
            if hold is not None:
                held = True
                await hold()
    except (OSError, TimeoutError, websockets.WebSocketException) as exc:
        if result.status is None and result.failure is None:  # a close after the run is no failure
            result.failure = f"{type(exc).__name__}: {exc}"
    finally:
        if hold is not None and not held:
            await hold()
    return result


async def open_sessions_async(
    url: str,
    pages: list[str],
    *,
    query_string: str = "",
    timeout: float = 120.0,
    while_open: Callable[[], None] | None = None,
) -> list[SessionResult]:
    """Open one session per entry of ``pages`` (a page may repeat), all at the same moment.

    Every session keeps its websocket open until all runs are over, as a class keeps its tabs
    open; ``while_open`` is called at that moment (e.g. to read the server's memory), then all close.
    """
    if len(pages) > MAX_SESSIONS:
        raise ValueError(f"at most {MAX_SESSIONS} sessions at once, asked for {len(pages)}")
    remaining = len(pages)
    all_over = asyncio.Event()

    async def hold() -> None:
        nonlocal remaining
        remaining -= 1
        if remaining == 0:
            if while_open is not None:
                while_open()
            all_over.set()
        await all_over.wait()

    start = time.perf_counter()
    sessions = (open_session(url, page, query_string, start=start, timeout=timeout, hold=hold) for page in pages)
    return list(await asyncio.gather(*sessions))


def open_sessions(url: str, pages: list[str], **options) -> list[SessionResult]:
    """Blocking form of ``open_sessions_async``, with the same keyword options (runs its own event loop)."""
    return asyncio.run(open_sessions_async(url, pages, **options))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log_file: IO[bytes]

    def log(self, tail: int = 4000) -> str:
        """The last ``tail`` characters the server wrote (stdout and stderr)."""
        self.log_file.flush()
        self.log_file.seek(0)
        return self.log_file.read().decode(errors="replace")[-tail:]


@contextlib.contextmanager
def serve(
    script: str | Path, cwd: str | Path | None = None, *, start_timeout: float = 60.0, options: tuple[str, ...] = ()
) -> Iterator[Server]:
    """Run ``streamlit run <script>`` headless on a free 127.0.0.1 port until the block ends; ``options``
    are more of Streamlit's command-line settings (``--server.disconnectedSessionTTL=1``).

    The server is fresh: no session has run a script yet. Its output goes to a temp file, not a
    pipe: a pipe nobody reads fills up with 250 tracebacks and then blocks the server's threads.
    The server is killed on leaving the block, also on an exception or Ctrl-C.
    """
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script), "--server.headless=true",
        f"--server.port={port}", "--server.address=127.0.0.1", "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false", *options,
    ]  # fmt: skip
    with tempfile.TemporaryFile() as log_file:
        process = subprocess.Popen(command, cwd=cwd, stdout=log_file, stderr=subprocess.STDOUT)
        server = Server(f"http://127.0.0.1:{port}", process, log_file)
        try:
            deadline = time.monotonic() + start_timeout
            while True:
                try:
                    if urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2).read() == b"ok":
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"streamlit did not start on {server.url}:\n{server.log()}") from None
                    time.sleep(0.3)
            yield server
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
