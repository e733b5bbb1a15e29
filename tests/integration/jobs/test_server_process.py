"""The real server (``binscribe serve`` in a subprocess): a 200 MB upload over the limit answers
413 while the server's peak memory grows by less than 20 MB; 10 concurrent uploads of different
files all complete, none lost, without "database is locked"."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import BIN, FINAL, wait_until
from tests.live_server import Server, running_server

MB = 1024 * 1024


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[Server]:
    with running_server(
        tmp_path,
        BINSCRIBE_DATABASE_URL=db_url,
        BINSCRIBE_WORKERS="2",
        BINSCRIBE_MAX_UPLOAD_MB="100",
    ) as started:
        yield started


def _peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_over_limit_upload_is_413_without_buffering(server: Server, tmp_path: Path) -> None:
    warm = httpx.post(f"{server.url}/api/v1/decompile", files={"file": ("a.txt", b"text" * 100)})
    assert warm.status_code == 415
    huge = tmp_path / "huge.bin"
    with huge.open("wb") as f:  # a sparse 200 MB file: an ELF header, then zeros
        f.write((BIN / "crackme-x86_64.elf").read_bytes()[:64])
        f.truncate(200 * MB)
    Path(f"/proc/{server.pid}/clear_refs").write_text("5")  # reset the peak RSS counter
    before = _peak_rss_kb(server.pid)
    with huge.open("rb") as body:
        response = httpx.post(
            f"{server.url}/api/v1/decompile", files={"file": ("huge.bin", body)}, timeout=120
        )
    grown_mb = (_peak_rss_kb(server.pid) - before) / 1024
    assert response.status_code == 413
    assert response.json()["code"] == "upload_too_large"
    assert grown_mb < 20, f"server peak RSS grew by {grown_mb:.1f} MB"
    leftovers = [p for p in (server.data_dir / "blobs").rglob("*") if p.is_file()]
    assert leftovers == []


def test_ten_concurrent_uploads_all_complete(server: Server) -> None:
    files = sorted(p for p in BIN.iterdir() if p.suffix in (".elf", ".exe"))[:10]
    assert len(files) == 10
    answers: dict[str, httpx.Response] = {}

    def send(path: Path) -> None:
        with httpx.Client(timeout=60) as client:
            answers[path.name] = client.post(
                f"{server.url}/api/v1/decompile",
                files={"file": (path.name, path.read_bytes())},
                data={"analysis_depth": "basic"},
            )

    threads = [threading.Thread(target=send, args=(path,)) for path in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {name: r.status_code for name, r in answers.items()} == {p.name: 202 for p in files}
    ids = {r.json()["job_id"] for r in answers.values()}
    assert len(ids) == 10

    def all_final() -> dict[str, Any] | None:
        jobs: dict[str, Any] = httpx.get(f"{server.url}/api/v1/jobs", params={"limit": 50}).json()
        return jobs if all(j["status"] in FINAL for j in jobs["data"]) else None

    jobs = wait_until(all_final, 400, "all 10 jobs final", interval=1)
    assert jobs["count"] == 10
    assert {j["id"] for j in jobs["data"]} == ids
    assert {j["file_info"]["name"]: j["status"] for j in jobs["data"]} == {
        p.name: "completed" for p in files
    }
    assert "database is locked" not in server.log.read_text()
