"""Reports as PDF through WeasyPrint: A4, the protective marking on every page, "Page X of Y" in the footer, and
tagged as PDF/UA (title, language, headings, tables, and each picture's description as its alternative text), so
that a paper published on a public website can be read with a screen reader.

WeasyPrint needs the Pango library from the operating system; it is loaded only when a PDF is made, so the rest
of ChangeProg runs where Pango is missing and the PDF download says what to install.
"""

from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string


def write_pdf(html: str) -> bytes:
    """HTML laid out as a tagged (PDF/UA) PDF."""
    try:
        from weasyprint import HTML
    except OSError as error:  # WeasyPrint raises OSError when the system's Pango cannot be loaded
        raise ImproperlyConfigured(
            "PDF output needs the Pango library (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
        ) from error
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def render_pdf(document: dict) -> bytes:
    return write_pdf(render_to_string("reporting/print.html", {"document": document}))
