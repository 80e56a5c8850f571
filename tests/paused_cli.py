"""``python -m tests.paused_cli ingest …``: the command line with a test hook installed, for
the crash tests. With ``JOKATSU_TEST_PAUSE=<checkpoint>`` the run says where it is (in the
file ``JOKATSU_TEST_PAUSE_FILE``) and waits there until that file is removed, so a test can
kill it, or read beside it, at a known point. The production flow only offers checkpoints
(:func:`flows.checkpoints.on_checkpoint`); the waiting lives here."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

PAUSE_ENV, PAUSE_FILE_ENV = "JOKATSU_TEST_PAUSE", "JOKATSU_TEST_PAUSE_FILE"


def pause_at(wanted: str, marker: Path) -> None:
    def hook(name: str) -> None:
        if name != wanted:
            return
        marker.write_text(f"{name} {os.getpid()}")
        deadline = time.monotonic() + 600
        while marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)

    from flows.checkpoints import on_checkpoint

    on_checkpoint(hook)


def main() -> int:
    from jokatsu.cli import main as cli

    if os.environ.get(PAUSE_ENV):
        pause_at(os.environ[PAUSE_ENV], Path(os.environ[PAUSE_FILE_ENV]))
    return cli(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
