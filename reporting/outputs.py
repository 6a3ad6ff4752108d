"""A report's outputs (HTML, PDF, Word): rendered from its document with the stamp that says what it is.

A draft's outputs are rendered on request from the live data and say DRAFT, not published, on every page. A
published paper's outputs are rendered once, when it is published, and stored with their SHA-256
(`reporting.models.ReportArtefact`); every download after that is those bytes, whatever later changes to the
data, the templates or the code. When a paper is superseded, a second set is stored that says so on every page;
the set as issued stays retrievable.
"""

import hashlib
import json
from collections import OrderedDict
from threading import Lock

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone

from changeprog.people import person_name
from reporting.docx import render_docx
from reporting.pdf import render_pdf
from reporting.slides import render_pptx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

FORMATS = {
    "html": {"content_type": "text/html; charset=utf-8", "extension": "html", "label": "HTML"},
    "pdf": {"content_type": "application/pdf", "extension": "pdf", "label": "PDF"},
    "docx": {"content_type": DOCX, "extension": "docx", "label": "Word"},
    "pptx": {"content_type": PPTX, "extension": "pptx", "label": "PowerPoint"},
}


def render_html(document: dict) -> bytes:
    return render_to_string("reporting/print.html", {"document": document}).encode()


RENDERERS = {"html": render_html, "pdf": render_pdf, "docx": render_docx, "pptx": render_pptx}


# The last few renders, by what they were rendered from: the same stamped document in the same house style
# gives the same paper, so a worker asked for it again (loading the demo twice, a retried publish) does not lay
# it out again. Drafts' stamps carry the moment they were rendered, so each draft download is rendered afresh.
RECENT_RENDERS = 8
_recent: OrderedDict = OrderedDict()
_recent_lock = Lock()


def render(document: dict, fmt: str) -> bytes:
    key = (fmt, RENDERERS[fmt], fingerprint(document), settings.REPORT_FONT, settings.REPORT_FONT_SIZE,
           settings.REPORT_HEADING_COLOUR, settings.PROTECTIVE_MARKING)  # fmt: skip
    with _recent_lock:
        if key in _recent:
            _recent.move_to_end(key)
            return _recent[key]
    content = RENDERERS[fmt](document)
    with _recent_lock:
        _recent[key] = content
        while len(_recent) > RECENT_RENDERS:
            _recent.popitem(last=False)
    return content


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def fingerprint(snapshot: dict) -> str:
    """The SHA-256 of what a published paper says (its snapshot), printed on the paper: whoever holds a copy
    can check it against ChangeProg's record."""
    return sha256(json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())


def _person(user) -> str:
    return person_name(user) if user else "unknown"


def _day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


def published_line(report) -> str:
    return (
        f"Published on {_day(report.published_at)} by {_person(report.published_by)}, version {report.version}. "
        f"Content fingerprint (SHA-256): {fingerprint(report.snapshot)}."
    )


def draft_stamp(report, *, at=None) -> dict:
    at = at or timezone.now()
    return {
        "state": "draft",
        "author": report.programme.organisation,
        "created": at.isoformat(),
        "banner": "DRAFT – not published",
        "note": (
            f"DRAFT – not published. It shows the data as it stood at "
            f"{formats.date_format(timezone.localtime(at), 'j F Y, H:i')}; the published paper may differ."
        ),
    }


def issued_stamp(report) -> dict:
    return {
        "state": "published",
        "author": report.programme.organisation,
        "created": report.published_at.isoformat(),
        "banner": "",
        "note": published_line(report),
    }


def superseded_stamp(report, successor) -> dict:
    banner = f"SUPERSEDED on {_day(successor.published_at)} by version {successor.version} (report {successor.pk})"
    return {
        **issued_stamp(report),
        "state": "superseded",
        "banner": banner,
        "note": f"{published_line(report)} {banner}.",
    }


def stamped(document: dict, stamp: dict) -> dict:
    return {**document, "stamp": stamp}
