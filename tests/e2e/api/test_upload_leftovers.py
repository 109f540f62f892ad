"""An upload's copy of its file is removed even when the worker holding it dies (issue 11):
uploads are copied into `$PRICING_DATA_DIR/uploads`, and a starting API process removes what
dead processes left there, never what a live one is using.

The dying worker is a real process, killed with SIGKILL mid-upload: no `finally` runs.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from pricing_adapters.uploads import uploads_dir
from pricing_api.http.asgi import build
from tests.e2e.api.conftest import SURVEY, Api

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pricing_adapters.uploads import upload_folder

    with upload_folder(Path(sys.argv[1])) as folder:
        (folder / "mercer-2025.csv").write_text("job_code,job_title\\n")
        print(folder, flush=True)
        time.sleep(120)
    """
)


@pytest.fixture
def holders() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        process.kill()
        process.wait(timeout=10)


def mid_upload(data_dir: Path, holders: list[subprocess.Popen[str]]) -> tuple[int, Path]:
    """A process in the middle of an upload: (its process, the folder it holds)."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)], stdout=subprocess.PIPE, text=True
    )
    holders.append(process)
    assert process.stdout is not None
    folder = Path(process.stdout.readline().strip())
    assert (folder / "mercer-2025.csv").is_file()
    return len(holders) - 1, folder


def start_api(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What `uvicorn --factory pricing_api.http.asgi:build` does in each worker it starts."""
    monkeypatch.setenv("PRICING_DATA_DIR", str(data_dir))
    monkeypatch.setenv("PRICING_DATABASE_URL", "memory://")
    monkeypatch.setenv("PRICING_BUNDLED_DATA", "false")
    build()


def test_a_worker_killed_mid_upload_leaves_nothing_after_the_next_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, holders: list[subprocess.Popen[str]]
) -> None:
    killed, dead_folder = mid_upload(tmp_path, holders)
    _, live_folder = mid_upload(tmp_path, holders)
    orphan = uploads_dir(tmp_path) / "upload-orphan"  # a folder whose lock file is gone
    orphan.mkdir()
    (orphan / "survey.xlsx").write_bytes(b"PK")
    holders[killed].kill()
    holders[killed].wait(timeout=10)
    assert (dead_folder / "mercer-2025.csv").is_file()  # SIGKILL: no cleanup ran

    start_api(tmp_path, monkeypatch)

    assert not dead_folder.exists()
    assert not orphan.exists()
    assert (live_folder / "mercer-2025.csv").is_file()  # a live upload is left alone
    left = sorted(p.name for p in uploads_dir(tmp_path).iterdir())
    assert left == sorted([live_folder.name, f"{live_folder.name}.lock"])


def test_an_upload_copies_into_the_data_dir_and_leaves_nothing_there(fresh_api: Api) -> None:
    response = fresh_api.upload(SURVEY)
    assert response.status_code == 200, response.text
    folder = uploads_dir(fresh_api.container.settings.data_dir)
    assert folder.is_dir()  # the upload went through it
    assert list(folder.iterdir()) == []
