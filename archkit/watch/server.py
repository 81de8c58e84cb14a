"""`--serve`: the output folder over HTTP on 127.0.0.1, a live index page and a server-sent events stream.

`/` opens the site (`-f site`, in every watch unless `-f` leaves it out) when there is one, else the
preview page (also at /__archkit__/preview); every HTML page served gets the live script.

The standard library's ThreadingHTTPServer is enough for one person's browser tabs: each request gets a
thread, an /events stream holds its thread and sleeps on the EventHub until the next build. Binding to
127.0.0.1 only keeps a preview of unreleased architecture off the network.
"""

from __future__ import annotations

import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

from archkit.errors import ArchkitError
from archkit.watch.events import EventHub
from archkit.watch.page import asset, render_page

HOST = "127.0.0.1"
PREFIX = "/__archkit__/"
LIVE_SCRIPT = b'<script src="/__archkit__/live.js"></script>'
KEEPALIVE_SECONDS = 15.0
SITE_INDEX = "site/index.html"  # the `site` format's home page, in each workspace's folder


class ServeError(ArchkitError):
    """The preview server cannot start (the port is taken)."""


class _Handler(SimpleHTTPRequestHandler):
    """Files from the output folder, never cached; plus the live page, its script and the event stream."""

    hub: EventHub
    title: str

    def __init__(self, *args: Any, hub: EventHub, title: str, **kwargs: Any) -> None:
        self.hub, self.title = hub, title
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path in ("/", "/index.htm"):
            self._send_site_or_page()
        elif path == PREFIX + "preview":
            self._send_page()
        elif path == PREFIX + "events":
            self._stream_events()
        elif path == PREFIX + "live.js":
            self._send(asset("live.js"), "text/javascript; charset=utf-8")
        elif path.endswith(".html"):
            self._send_html_file()
        else:
            super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a preview must never show a stale picture
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal belongs to the one-line-per-render report."""

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_site_or_page(self) -> None:
        """The site when the watch renders one (the first workspace's), else the preview page."""
        site = next(iter(sorted(Path(self.directory).glob(f"*/{SITE_INDEX}"))), None)
        if site is None:
            self._send_page()
            return
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", "/" + quote(site.relative_to(self.directory).as_posix()))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send_page(self) -> None:
        state = self.hub.state
        html = render_page(Path(self.directory), self.title, state.error, state.generation)
        self._send(html.encode("utf-8"), "text/html; charset=utf-8")

    def _send_html_file(self) -> None:
        """An HTML file from the output (the `index` format's page) with the live-reload script added."""
        file = Path(self.translate_path(self.path))
        if not file.is_file():
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        body = file.read_bytes()
        at = body.lower().rfind(b"</body>")
        body = body[:at] + LIVE_SCRIPT + body[at:] if at >= 0 else body + LIVE_SCRIPT
        self._send(body, "text/html; charset=utf-8")

    def _stream_events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            state = self.hub.state
            self.wfile.write(b"retry: 500\n\n" + state.to_sse())
            self.wfile.flush()
            generation = state.generation
            while not self.hub.closed:
                newer = self.hub.next_after(generation, KEEPALIVE_SECONDS)
                if newer is None:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    self.wfile.write(newer.to_sse())
                    generation = newer.generation
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the tab closed


class PreviewServer:
    """Serves `out_dir` on 127.0.0.1:`port` (0: any free port) from a background thread."""

    def __init__(self, out_dir: Path, hub: EventHub, title: str, port: int = 0) -> None:
        handler = partial(_Handler, directory=str(out_dir), hub=hub, title=title)
        try:
            self._httpd = ThreadingHTTPServer((HOST, port), handler)
        except OSError as exc:
            raise ServeError(f"error: cannot serve on {HOST}:{port}: {exc.strerror or exc}"
                             f" (choose another --port, or --port 0 for any free one)") from None
        self._httpd.daemon_threads = True
        self._hub = hub
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="archkit-serve", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/" if isinstance(host, str) else f"http://{host.decode()}:{port}/"

    def start(self) -> str:
        self._thread.start()
        return self.url

    def stop(self) -> None:
        self._hub.close()
        if self._thread.is_alive():
            self._httpd.shutdown()
        self._httpd.server_close()
