"""The live preview (`make serve`, tools/preview.py and tools/warm_sphinx.py): a save is
rebuilt in the same Sphinx application, reading only that page; anything else starts a new
application; the server shows the new page and tells open pages to reload.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT
from warm_sphinx import BuildOptions, WarmSphinx
from websockets.sync.client import connect

ROOT = Path(__file__).parent / "roots" / "test-build-speed"
STRICT = ["-b", "html", "-n", "-W", "-j", "2"]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOT, tmp_path / "root"))


def warm_sphinx(site: Path) -> tuple[WarmSphinx, StringIO]:
    status = StringIO()
    options = BuildOptions.from_argv([*STRICT, str(site), str(site / "_build" / "html")])
    return WarmSphinx(options, status=status, warning=status), status


def test_a_saved_page_is_rebuilt_alone_in_the_same_application(site: Path) -> None:
    warm, status = warm_sphinx(site)
    try:
        assert warm.build() == 0
        page = site / "page-03.md"
        page.write_text("# Page 03\n\nSaved in the editor.\n", encoding="utf-8")
        status.truncate(0)
        assert warm.build([page]) == 0
    finally:
        warm.close()
    assert warm.applications_made == 1
    assert "0 added, 1 changed, 0 removed" in status.getvalue()
    html = (site / "_build" / "html" / "page-03.html").read_text(encoding="utf-8")
    assert "Saved in the editor." in html


def test_configuration_changes_and_failed_builds_start_a_new_application(site: Path) -> None:
    warm, status = warm_sphinx(site)
    page = site / "page-02.md"
    try:
        assert warm.build() == 0
        conf = site / "conf.py"
        conf.write_text(
            conf.read_text(encoding="utf-8") + 'html_title = "Renamed"\n', encoding="utf-8"
        )
        assert warm.build([conf]) == 0
        assert warm.applications_made == 2
        assert "Renamed" in (site / "_build" / "html" / "index.html").read_text("utf-8")

        page.write_text("# Page 02\n\nSee {ref}`nowhere`.\n", encoding="utf-8")
        assert warm.build([page]) == 1  # a warning, with -W
        assert warm.app is None
        assert f"{page}:3: WARNING: undefined label: 'nowhere'" in status.getvalue()
        page.write_text("# Page 02\n\nFixed.\n", encoding="utf-8")
        assert warm.build([page]) == 0
        assert warm.applications_made == 3
    finally:
        warm.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_line(process: subprocess.Popen, text: str, timeout: float) -> list[str]:
    """Read the server's output until a line contains ``text``; every line read so far."""
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        lines.append(line)
        if text in line:
            return lines
    raise AssertionError(f"no {text!r} from the preview server:\n{''.join(lines)}")


def test_the_server_shows_a_saved_page_and_reloads_the_open_pages(site: Path) -> None:
    port = free_port()
    environment = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT / "_ext"))
    process = subprocess.Popen(
        [
            sys.executable,
            str(PROJECT_ROOT / "tools" / "preview.py"),
            "--port",
            str(port),
            "--site",
            str(site / "_build" / "site"),
            *STRICT,
            str(site),
            str(site / "_build" / "html"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
    )
    try:
        wait_for_line(process, "Serving on", timeout=120)
        address = f"http://127.0.0.1:{port}/page-03.html"
        with urllib.request.urlopen(address, timeout=10) as response:
            assert "websocket-reload" in response.read().decode("utf-8")
        with connect(f"ws://127.0.0.1:{port}/websocket-reload", open_timeout=10) as browser:
            (site / "page-03.md").write_text("# Page 03\n\nA fresh sentence.\n", encoding="utf-8")
            output = wait_for_line(process, "Rebuilt in", timeout=60)
            assert browser.recv(timeout=30) == "refresh"
        assert any("Rebuilt in" in line and "done" in line for line in output)
        with urllib.request.urlopen(address, timeout=10) as response:
            assert "A fresh sentence." in response.read().decode("utf-8")

        # A save that breaks the build: the last good page stays, with the error over it.
        broken = site / "page-03.md"
        broken.write_text("# Page 03\n\nSee {ref}`nowhere`.\n", encoding="utf-8")
        output = wait_for_line(process, "Rebuilt in", timeout=60)
        assert any("FAILED" in line for line in output), output
        with urllib.request.urlopen(address, timeout=10) as response:
            page = response.read().decode("utf-8")
        assert "A fresh sentence." in page and "/_preview/status.js" in page
        status = f"http://127.0.0.1:{port}/_preview/status.js"
        with urllib.request.urlopen(status, timeout=10) as response:
            script = response.read().decode("utf-8")
        assert f"{broken}:3:" in script and "undefined label" in script, script
        assert '"ok": false' in script
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert process.returncode == 0
