"""``make serve``: the handbook on a local web server, rebuilt and reloaded on every save.

    python tools/preview.py [--host 127.0.0.1] [--port 8000] SPHINX-BUILD-ARGUMENTS

It does what sphinx-autobuild does (watch the project, rebuild, tell the open pages to
reload) with one difference: the rebuild runs in a Sphinx application that stays alive
between saves (``warm_sphinx.py``), instead of a new ``sphinx-build`` process each time. A
one-word edit is then rebuilt in about half a second at 200 pages instead of two and a half.
The page reload uses sphinx-autobuild's own script and its web-socket address, so the
browser side is the same; only the server side is here.

The web server runs in a thread; the builds run in the main thread, so that Sphinx can
start its parallel workers as it does on the command line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import threading
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import uvicorn
import watchfiles
from sphinx_autobuild.filter import IgnoreFilter
from sphinx_autobuild.middleware import JavascriptInjectorMiddleware
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect
from warm_sphinx import BuildOptions, WarmSphinx

#: Where sphinx-autobuild's reload script connects.
RELOAD_PATH = "/websocket-reload"
#: Folders whose changes are never a reason to rebuild.
IGNORED = (".git", ".venv", "_build", "node_modules", ".pytest_cache", ".ruff_cache",
           "__pycache__")


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


def web_app(site: Path, reloader: Reloader, address: str) -> Starlette:
    return Starlette(
        routes=[WebSocketRoute(RELOAD_PATH, reloader.endpoint),
                Mount("/", app=StaticFiles(directory=site, html=True))],
        middleware=[Middleware(JavascriptInjectorMiddleware, ws_url=address)],
        lifespan=reloader.lifespan,
    )


def start_server(app: Starlette, host: str, port: int) -> uvicorn.Server:
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    threading.Thread(target=server.run, name="preview-server", daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server


def parse_args(argv: Sequence[str] | None) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="tools/preview.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    return parser.parse_known_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args, sphinx_args = parse_args(argv)
    options = BuildOptions.from_argv(sphinx_args)
    options.outdir.mkdir(parents=True, exist_ok=True)
    warm = WarmSphinx(options)
    warm.build()

    reloader = Reloader()
    address = f"{args.host}:{args.port}"
    server = start_server(web_app(options.outdir, reloader, address), args.host, args.port)
    print(f"Serving on http://{address}/ (Ctrl+C stops)", flush=True)

    ignored = IgnoreFilter([options.outdir, options.doctreedir,
                            *(options.sourcedir / name for name in IGNORED)], [])
    try:
        for changes in watchfiles.watch(options.sourcedir,
                                        watch_filter=lambda _change, path: not ignored(path)):
            changed = sorted({Path(path) for _change, path in changes})
            names = ", ".join(str(p.relative_to(options.sourcedir)) for p in changed[:5])
            print(f"Changed: {names}; rebuilding", flush=True)
            start = time.perf_counter()
            status = warm.build(changed)
            outcome = "done" if status == 0 else "FAILED: the pages shown are not up to date"
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
