"""The documents opened by real programs: the HTML printed by headless Chromium, the Word file
converted by headless LibreOffice; both then read back with poppler (pdfinfo, pdftotext,
pdftoppm). Skipped when the programs are not installed (apt: chromium, libreoffice-writer-nogui,
poppler-utils)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.pipeline import prepare
from engine.render import BuildOptions, build

MINI = Path(__file__).parent / "data" / "mini.yaml"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo") and shutil.which("pdftoppm")

pytestmark = [pytest.mark.office, pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office") / "out"
    result = build(prepare(MINI).model, folder, BuildOptions(start=dt.date(2025, 1, 1)))
    assert result.ok, result.error
    return folder


def pdf_facts(pdf: Path) -> tuple[str, str, float]:
    """The page size line, the text, and the share of dark pixels on page one."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+(.*)", info).group(1)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    stem = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-gray", "-r", "30", "-f", "1", "-l", "1", str(pdf), str(stem)], check=True)
    [pgm] = pdf.parent.glob(f"{stem.name}*.pgm")
    return size, text, dark_share(pgm.read_bytes())


def dark_share(pgm: bytes) -> float:
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", pgm)
    pixels = pgm[header.end():]
    return sum(1 for value in pixels if value < 128) / max(len(pixels), 1)


def a4(size: str) -> bool:
    width, height = (float(v) for v in re.findall(r"[\d.]+", size)[:2])
    return abs(width - 595.3) < 2 and abs(height - 841.9) < 2


@pytest.mark.skipif(not CHROMIUM, reason="Chromium not installed")
def test_html_prints_in_chromium(out, tmp_path):
    pdf = tmp_path / "charter.pdf"
    page = out / "章程" / "示范大厦楼委会章程.html"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    page.as_uri()], capture_output=True, timeout=120, check=True)
    size, text, dark = pdf_facts(pdf)
    assert a4(size)
    assert "示范大厦楼委会章程" in text and "第一条" in text
    assert 0.005 < dark < 0.5         # ink on the page, not a blank or black page


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice not installed")
def test_docx_opens_in_libreoffice(out, tmp_path):
    source = out / "上报路径" / "楼宇就餐分流上报路径.docx"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   capture_output=True, timeout=240, check=True)
    pdf = tmp_path / "楼宇就餐分流上报路径.pdf"
    assert pdf.exists()
    size, text, dark = pdf_facts(pdf)
    assert a4(size)
    assert "楼宇就餐分流上报路径" in text and "第一步" in text and "事项受理" in text
    assert 0.005 < dark < 0.5
