from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PIL import Image

from services.renderer.compose import main


def test_compose_writes_the_requested_variant(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The CLI lays the product JSON over the background and writes the chosen format."""
    Image.new("RGB", (1024, 1024), (40, 60, 90)).save(tmp_path / "bg.png")
    (tmp_path / "p.json").write_text(
        json.dumps(
            {
                "name": "Trail Runner",
                "price": "129.90",
                "currency": "EUR",
                "regularPrice": "159.90",
                "language": "de",
            }
        )
    )
    out = tmp_path / "out.webp"
    code = main(
        [
            "--background",
            str(tmp_path / "bg.png"),
            "--product",
            str(tmp_path / "p.json"),
            "--format",
            "landscape",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    im = Image.open(out)
    assert im.format == "WEBP" and im.size == (1200, 628)
    assert "129,90\u00a0€" in capsys.readouterr().out


def test_compose_reports_bad_input(tmp_path: Path) -> None:
    """An unreadable background exits 2 with a message, not a traceback."""
    (tmp_path / "p.json").write_text("{}")
    (tmp_path / "bg.png").write_bytes(b"nope")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.renderer.compose",
            "--background",
            str(tmp_path / "bg.png"),
            "--product",
            str(tmp_path / "p.json"),
            "--out",
            str(tmp_path / "x.jpg"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "compose:" in proc.stderr and "Traceback" not in proc.stderr
