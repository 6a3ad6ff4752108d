"""What the report tests share: whether PDFs can be made and read on this machine."""

import pytest


def _pdf_tools_missing() -> str:
    """Why PDFs cannot be made or read here ('' when they can): WeasyPrint needs Pango, the tests poppler."""
    import shutil

    try:
        import weasyprint  # noqa: F401
    except OSError:
        return "WeasyPrint cannot load the system's Pango library"
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        return "poppler-utils (pdftotext, pdfinfo) is not installed"
    return ""


@pytest.fixture
def pdf_tools():
    import os

    missing = _pdf_tools_missing()
    if missing:
        if os.environ.get("REQUIRE_PDF") == "1":
            pytest.fail(f"{missing}, and REQUIRE_PDF=1 requires the PDF tests to run.", pytrace=False)
        pytest.skip(f"{missing}; PDF tests skipped. Set REQUIRE_PDF=1 to make this an error.")


@pytest.fixture
def libreoffice():
    """LibreOffice's command, to lay a Word file out as a word processor would (Debian: libreoffice-writer-nogui)."""
    import os
    import shutil

    command = shutil.which("soffice") or shutil.which("libreoffice")
    if command is None:
        if os.environ.get("REQUIRE_PDF") == "1":
            pytest.fail("LibreOffice is not installed, and REQUIRE_PDF=1 requires the layout tests.", pytrace=False)
        pytest.skip("LibreOffice is not installed; the Word layout test is skipped. Set REQUIRE_PDF=1 to fail.")
    return command
