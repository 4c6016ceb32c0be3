"""The productshot CLI as a person runs it, against the real API on the local stack."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import sys
from pathlib import Path

import pytest

from services.cli import exits
from tests.integration.api.conftest import KEY
from tests.integration.conftest import ROOT, Services
from tests.integration.pages import PageServer

pytestmark = pytest.mark.integration


async def _cli(api: str, *args: str, tmp: Path) -> tuple[int, str, str]:
    """Run ``productshot`` in a subprocess (the page server keeps serving on this event loop)."""
    env = {**os.environ, "PRODUCTSHOT_API": api, "PRODUCTSHOT_KEY": KEY, "XDG_CONFIG_HOME": str(tmp / "xdg")}
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "services.cli.app", *args, cwd=ROOT, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 180)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_submit_wait_out_then_status_and_get(pipeline: Services, pages: PageServer, tmp_path: Path) -> None:
    """submit --wait --out lands a real JPEG of the announced size; status and get agree with it."""
    url = pages.add_product("cli-kettle", "Copper Kettle CLI", "129.00")
    out = tmp_path / "out"
    code, stdout, stderr = await _cli(pipeline.api, "--json", "submit", url, "--wait", "--out", str(out),
                                      "--interval", "0.5", "--timeout", "150", tmp=tmp_path)
    assert code == exits.OK, stderr
    job = json.loads(stdout.splitlines()[-1])
    assert job["status"] == "completed"
    image = out / f"{job['jobId']}-square.jpg"
    assert image.read_bytes()[:3] == b"\xff\xd8\xff" and image.stat().st_size == job["images"][0]["size"]
    assert json.loads((out / f"{job['jobId']}.json").read_text())["status"] == "completed"

    code, stdout, _ = await _cli(pipeline.api, "status", job["jobId"], tmp=tmp_path)
    assert code == exits.OK and stdout.startswith(f"{job['jobId']}  completed  Copper Kettle CLI")

    again = tmp_path / "again"
    code, stdout, stderr = await _cli(pipeline.api, "get", job["jobId"], "--out", str(again), tmp=tmp_path)
    assert code == exits.OK, stderr
    assert (again / image.name).read_bytes() == image.read_bytes()


async def test_a_wrong_key_is_exit_3_without_printing_it(pipeline: Services, tmp_path: Path) -> None:
    """A refused key ends with exit 3 and a 401 line; the key itself is not printed."""
    code, stdout, stderr = await _cli(pipeline.api, "--key", "not-a-key-123", "status", "x", tmp=tmp_path)
    assert code == exits.API and "HTTP 401" in stderr
    assert "not-a-key-123" not in stdout + stderr


async def test_batch_of_two_product_urls_writes_results(pipeline: Services, pages: PageServer, tmp_path: Path) -> None:
    """batch FILE follows a real batch to its end and writes results.csv with both rows completed."""
    urls = [pages.add_product(f"cli-b{i}", f"Batch Kettle {i}", "19.99") for i in (1, 2)]
    items = tmp_path / "items.json"
    items.write_text(json.dumps(urls))
    out = tmp_path / "batch"
    code, stdout, stderr = await _cli(pipeline.api, "--json", "batch", str(items), "--out", str(out),
                                      "--interval", "1", "--timeout", "170", tmp=tmp_path)
    assert code == exits.OK, stderr
    assert json.loads(stdout.splitlines()[-1])["done"] == 2
    rows = list(csv.DictReader(io.StringIO((out / "results.csv").read_text())))
    assert [(r["productUrl"], r["status"], r["name"], r["price"]) for r in rows] == [
        (url, "completed", f"Batch Kettle {i}", "19.99") for i, url in zip((1, 2), urls, strict=True)]
