"""The built site served over HTTP on 127.0.0.1, as the browser tests and the link check need.

Material's search runs in a web worker and `content.tabs.link` keeps state in
localStorage, so the site is served, not opened from `file://`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class _Handler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        # LinkChecker throttles every host to 10 requests a second unless the server
        # answers with this header (its documented opt-in); the check then takes seconds.
        self.send_header("LinkChecker", "loopback test server")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # pytest output is for failures, not access logs


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on a free loopback port; yields the base URL, ending in `/`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
