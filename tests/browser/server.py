"""The built handbook served over HTTP on 127.0.0.1, the way its host will serve it.

Why not open the files directly: a browser treats file:// pages differently (no requests to
record, different security rules), and the 404 page only works under the site's published
path ("/handbook/" on GitHub Pages), where its absolute links point. So the server mounts the
site under that path and answers a missing page with 404.html and status 404, as GitHub Pages
does.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Files of the built site under a path prefix; a missing file gets the site's 404 page."""

    def __init__(self, *args: object, directory: str, prefix: str, **kwargs: object) -> None:
        self.prefix = prefix
        super().__init__(*args, directory=directory, **kwargs)  # type: ignore[arg-type]

    def translate_path(self, path: str) -> str:
        route = urlsplit(path).path
        if not route.startswith(self.prefix):
            return str(Path(self.directory) / "-outside-the-site-")
        return super().translate_path("/" + route.removeprefix(self.prefix))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests record requests in the browser, where they can be asserted."""


class SiteServer:
    """Serve ``root`` at ``http://127.0.0.1:<free port><prefix>`` in a background thread."""

    def __init__(self, root: Path, prefix: str = "/") -> None:
        if not (prefix.startswith("/") and prefix.endswith("/")):
            raise ValueError(f"prefix must start and end with '/': {prefix!r}")
        self.root = root
        self.prefix = prefix
        handler = functools.partial(_SiteHandler, directory=str(root), prefix=prefix)
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str = "") -> str:
        """The address of a file of the site, given relative to the site's root."""
        return f"{self.origin}{self.prefix}{path}"

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
