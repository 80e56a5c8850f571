"""What an operator sees in Prefect's UI, in a real browser: a real ``prefect server start``
(on a port other than 4200, so the UI needs PREFECT_UI_API_URL as docs/operations.md says),
a run of ``jokatsu ingest`` without --verbose with a quarantined file, then the run's page in
headless Chromium shows its state, its log lines and its artifact."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE

ARTIFACTS = ROOT / "test-artifacts"


def _browser() -> str:
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser test: make test installs Debian's chromium")
        pytest.skip("chromium is not installed (make test installs it on Debian as root)")
    return found


def test_the_ui_shows_the_runs_state_logs_and_artifact(prefect_server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright
    from prefect.client.orchestration import SyncPrefectClient

    server = prefect_server
    browser_path = _browser()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE / "bad_truncated.pdf", inbox / "bad_truncated.pdf")
    shutil.copy(SAMPLE / "06_yamagata_fy2019.txt", inbox / "06_yamagata_fy2019.txt")
    env = {**os.environ, "PREFECT_API_URL": server}
    env.pop("PREFECT_LOGGING_LEVEL", None)  # as an operator runs it: no --verbose, defaults
    run = subprocess.run(
        [sys.executable, "-m", "jokatsu.cli", "ingest", str(inbox), "--db", str(tmp_path / "w")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "Flow run" not in run.stderr  # the console stays quiet without --verbose

    with SyncPrefectClient(server) as client:
        (flow_run,) = client.read_flow_runs()
        (artifact,) = client.read_artifacts()
    assert flow_run.state_name == "Completed with problems"

    base = server.removesuffix("/api")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/runs/flow-run/{flow_run.id}")
            line = page.get_by_text("quarantined: ", exact=False).first
            line.wait_for(timeout=120_000)
            assert "bad_truncated.pdf" in line.inner_text()
            body = page.inner_text("body")
            assert "Completed with problems" in body
            assert "This run didn't generate logs" not in body
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "prefect-run.png"), full_page=True)
            page.goto(f"{base}/artifacts/artifact/{artifact.id}")
            heading = page.get_by_text("読み込めなかったファイル", exact=False).first
            heading.wait_for(timeout=120_000)
            text = page.inner_text("body")
            assert "bad_truncated.pdf" in text and "PDF が途中で切れているか壊れています" in text
            assert text.index("読み込めなかったファイル") < text.index("件数")
            page.screenshot(path=str(ARTIFACTS / "prefect-artifact.png"), full_page=True)
        finally:
            browser.close()


def test_the_artifact_shows_hostile_names_as_text_and_fetches_nothing(
    prefect_server: str, tmp_path: Path
) -> None:
    """A file whose path reads 「<img src=http:/127.0.0.1:PORT/x>.pdf」 (issue 24: the
    operator's browser fetched the URL when the artifact was opened) and one whose name holds
    a Markdown link: the artifact page shows both names as text, renders no image or link
    from them, and nothing asks the listening port for the image."""
    import http.server
    import threading

    from playwright.sync_api import sync_playwright
    from prefect.client.orchestration import SyncPrefectClient

    server = prefect_server
    browser_path = _browser()
    requests: list[str] = []

    class Listener(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    listener = http.server.HTTPServer(("127.0.0.1", 0), Listener)
    port = listener.server_address[1]
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    inbox = tmp_path / "inbox"
    image = inbox / "<img src=http:" / f"127.0.0.1:{port}" / "x>.pdf"  # one 「/」 is enough
    image.parent.mkdir(parents=True)
    image.write_bytes(b"%PDF-1.4 broken")
    (inbox / "[click](http:127.0.0.1) **b**.pdf").write_bytes(b"%PDF-1.4 broken too")
    env = {**os.environ, "PREFECT_API_URL": server}
    env.pop("PREFECT_LOGGING_LEVEL", None)
    run = subprocess.run(
        [sys.executable, "-m", "jokatsu.cli", "ingest", str(inbox), "--db", str(tmp_path / "w")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    from prefect.client.schemas.sorting import ArtifactSort

    with SyncPrefectClient(server) as client:
        (artifact,) = client.read_artifacts(sort=ArtifactSort.UPDATED_DESC, limit=1)
    base = server.removesuffix("/api")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=browser_path, args=["--no-sandbox"]
            )
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"{base}/artifacts/artifact/{artifact.id}")
                page.get_by_text("読み込めなかったファイル", exact=False).first.wait_for(
                    timeout=120_000
                )
                page.wait_for_load_state("networkidle")
                text = page.inner_text("body")
                assert f"<img src=http:/127.0.0.1:{port}/x>.pdf" in text  # shown, as written
                assert "[click](http:127.0.0.1) **b**.pdf" in text
                assert page.locator(f"img[src*='{port}']").count() == 0
                assert page.locator("a[href*='127.0.0.1']").count() == 0
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "prefect-artifact-names.png"), full_page=True)
            finally:
                browser.close()
    finally:
        listener.shutdown()
    assert requests == []  # the browser fetched nothing from the name
