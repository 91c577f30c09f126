"""LibreOffice (headless, private profile per call) and poppler, reading back what we write."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(source: Path, outdir: Path, target: str) -> Path:
    """Convert with LibreOffice headless (target: "pdf", "odt", "docx:MS Word 2007 XML"); a
    private profile avoids clashes between runs. Returns the written file."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        subprocess.run(
            [
                soffice_path(),
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(outdir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    written = outdir / (source.stem + "." + target.split(":")[0])
    if not written.exists():
        raise RuntimeError(f"LibreOffice wrote no {target} for {source.name}")
    return written


def convert_to_pdf(docx: Path, outdir: Path) -> Path:
    return convert(docx, outdir, "pdf")


def pdf_text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext -layout), in order."""
    return [pdf_text(pdf, n) for n in range(1, pdf_page_count(pdf) + 1)]


def pdf_page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise RuntimeError("pdfinfo gave no page count")


def first_page_png(pdf: Path, name: str) -> Path:
    """Render page 1 to test-artifacts/documents/NAME.png, to look at."""
    return page_pngs(pdf, name, last=1)[0]


def page_pngs(pdf: Path, name: str, *, last: int | None = None) -> list[Path]:
    """Render every page (or pages up to `last`) to test-artifacts/documents/NAME-N.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    prefix = ARTIFACTS / name
    limit = ["-l", str(last)] if last else []
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", *limit, str(pdf), str(prefix)],
        check=True,
        capture_output=True,
    )
    return sorted(ARTIFACTS.glob(f"{name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
