"""``make serve``: the handbook on a local web server, rebuilt and reloaded on every save.

    python tools/preview.py [--host 127.0.0.1] [--port 8000] SPHINX-BUILD-ARGUMENTS

It does what sphinx-autobuild does (watch the project, rebuild, tell the open pages to
reload) with one difference: the rebuild runs in a Sphinx application that stays alive
between saves (``warm_sphinx.py``), instead of a new ``sphinx-build`` process each time. A
one-word edit is then rebuilt in about half a second at 200 pages instead of two and a half.
The page reload uses sphinx-autobuild's own script and its web-socket address, so the
browser side is the same; only the server side is here.

Sphinx writes into OUTPUTDIR; the server shows ``--site`` (default: OUTPUTDIR with
``-site`` added), which a build replaces only when it passed (``publish_build.py``, as
`make html` does). After a failed build the browser keeps the last good pages, with a banner
that lists the errors (``/_preview/status.js``), until a save fixes them.

The web server runs in a thread; the builds run in the main thread, so that Sphinx can
start its parallel workers as it does on the command line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import sys
import threading
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import uvicorn
import watchfiles
from publish_build import publish
from sphinx_autobuild.filter import IgnoreFilter
from sphinx_autobuild.middleware import JavascriptInjectorMiddleware
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect
from warm_sphinx import BuildOptions, WarmSphinx

#: Where sphinx-autobuild's reload script connects.
RELOAD_PATH = "/websocket-reload"
#: The script that shows the last build's errors over the last good pages.
STATUS_PATH = "/_preview/status.js"
STATUS_SCRIPT = f'<script src="{STATUS_PATH}" defer></script>'.encode()
BANNER_JS = """(function () {
  var state = %s;
  if (state.ok) { return; }
  var banner = document.createElement("div");
  banner.setAttribute("role", "alert");
  banner.style.cssText = "position:fixed;inset:0 0 auto 0;z-index:9999;max-height:50vh;" +
    "overflow:auto;padding:1rem;background:#5c0b0b;color:#fff;font:14px/1.4 monospace";
  var title = document.createElement("strong");
  title.textContent = "The last build failed: you are seeing the last good build. " +
    "Fix these and save:";
  var list = document.createElement("pre");
  list.style.whiteSpace = "pre-wrap";
  list.textContent = state.errors.join("\\n");
  banner.append(title, list);
  document.body.prepend(banner);
})();
"""


class BuildStatus:
    """What the last build said: shown by the banner script on every page."""

    def __init__(self) -> None:
        self.ok, self.errors = True, list[str]()

    def record(self, status: int, output: str) -> None:
        self.ok = status == 0
        self.errors = [
            line
            for line in output.splitlines()
            if "ERROR:" in line or "WARNING:" in line or "CRITICAL:" in line
        ]
        if not self.ok and not self.errors:
            self.errors = ["(no error line was printed: see the terminal)"]

    async def script(self, _request: Request) -> Response:
        state = json.dumps({"ok": self.ok, "errors": self.errors})
        return Response(
            BANNER_JS % state, media_type="text/javascript", headers={"Cache-Control": "no-store"}
        )


class Tee(io.TextIOBase):
    """Write to the terminal and keep a copy of the current build's messages."""

    def __init__(self, terminal: io.TextIOBase) -> None:
        self.terminal, self.copy = terminal, io.StringIO()

    def write(self, text: str) -> int:
        self.copy.write(text)
        return self.terminal.write(text)

    def flush(self) -> None:
        self.terminal.flush()

    def take(self) -> str:
        text, self.copy = self.copy.getvalue(), io.StringIO()
        return text


class PreviewInjector(JavascriptInjectorMiddleware):
    """sphinx-autobuild's reload script, plus the build-status banner."""

    def __init__(self, app: Any, ws_url: str) -> None:
        super().__init__(app, ws_url)
        self.script += STATUS_SCRIPT


#: Folders whose changes are never a reason to rebuild.
IGNORED = (".git", ".venv", "_build", "node_modules", ".pytest_cache", ".ruff_cache", "__pycache__")


class Reloader:
    """Tells every open page to reload, from the thread that builds."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.condition: asyncio.Condition | None = None

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        self.loop, self.condition = asyncio.get_running_loop(), asyncio.Condition()
        yield

    def reload(self) -> None:
        if self.loop is not None:
            asyncio.run_coroutine_threadsafe(self._notify(), self.loop).result(timeout=10)

    async def _notify(self) -> None:
        assert self.condition is not None
        async with self.condition:
            self.condition.notify_all()

    async def endpoint(self, socket: WebSocket) -> None:
        assert self.condition is not None
        await socket.accept()
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            while True:
                async with self.condition:
                    await self.condition.wait()
                await socket.send_text("refresh")


def web_app(site: Path, reloader: Reloader, address: str, status: BuildStatus) -> Starlette:
    return Starlette(
        routes=[
            WebSocketRoute(RELOAD_PATH, reloader.endpoint),
            Route(STATUS_PATH, status.script),
            Mount("/", app=StaticFiles(directory=site, html=True)),
        ],
        middleware=[Middleware(PreviewInjector, ws_url=address)],
        lifespan=reloader.lifespan,
    )


def start_server(app: Starlette, host: str, port: int) -> uvicorn.Server:
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    threading.Thread(target=server.run, name="preview-server", daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server


def parse_args(argv: Sequence[str] | None) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        prog="tools/preview.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--site", type=Path, default=None, help="the folder served: the last build that passed"
    )
    return parser.parse_known_args(argv)


def publish_if_passed(
    status: int, options: BuildOptions, site: Path, tee: Tee, state: BuildStatus
) -> None:
    """Replace the served site by a build that passed; otherwise keep it and note why."""
    state.record(status, tee.take())
    if status == 0:
        publish(options.outdir, site)
    elif not (site / "index.html").exists():
        site.mkdir(parents=True, exist_ok=True)
        (site / "index.html").write_text(
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>No build '
            "yet</title></head><body><p>No build has passed yet.</p></body></html>",
            encoding="utf-8",
        )


def main(argv: Sequence[str] | None = None) -> int:
    args, sphinx_args = parse_args(argv)
    options = BuildOptions.from_argv(sphinx_args)
    site = args.site or options.outdir.with_name(options.outdir.name + "-site")
    options.outdir.mkdir(parents=True, exist_ok=True)
    tee = Tee(sys.stderr)
    state = BuildStatus()
    warm = WarmSphinx(options, warning=tee)
    publish_if_passed(warm.build(), options, site, tee, state)

    reloader = Reloader()
    address = f"{args.host}:{args.port}"
    server = start_server(web_app(site, reloader, address, state), args.host, args.port)
    print(f"Serving on http://{address}/ (Ctrl+C stops)", flush=True)

    ignored = IgnoreFilter(
        [options.outdir, options.doctreedir, site, *(options.sourcedir / name for name in IGNORED)],
        [],
    )
    try:
        for changes in watchfiles.watch(
            options.sourcedir, watch_filter=lambda _change, path: not ignored(path)
        ):
            changed = sorted({Path(path) for _change, path in changes})
            names = ", ".join(str(p.relative_to(options.sourcedir)) for p in changed[:5])
            print(f"Changed: {names}; rebuilding", flush=True)
            start = time.perf_counter()
            status = warm.build(changed)
            publish_if_passed(status, options, site, tee, state)
            outcome = (
                "done"
                if status == 0
                else "FAILED: the browser keeps the last good build and lists the errors"
            )
            print(f"Rebuilt in {time.perf_counter() - start:.1f} s: {outcome}", flush=True)
            reloader.reload()
    except KeyboardInterrupt:
        pass
    finally:
        server.should_exit = True
        warm.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
