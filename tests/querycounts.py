"""The number of SQL queries each page makes, pinned.

Every query-count test measures a page at two data sizes; the counts must be equal (the page does not grow with
the data) and equal to the number pinned here, so that a change in a page's queries is a decision made in this
file, not a drift. Run with RECORD_QUERY_COUNTS=<file> to write the measured counts (one JSON line each) instead
of comparing them with the pins.
"""

import json
import os

PINNED = {
    "assurance:benefits": 9,
    "assurance:case": 11,
    "assurance:cases": 8,
    "assurance:coverage": 16,
    "assurance:decisions": 7,
    "assurance:driver": 9,
    "assurance:drivers": 6,
    "assurance:embedding": 8,
    "reporting:challenge_answer": 7,
    "reporting:challenge_create": 5,
    "reporting:dashboard": 40,
    "reporting:report": 24,
    "reporting:report draft": 23,
    "reporting:report published": 9,
    "home (my work)": 46,  # 14, and the next paper's publish gate (it composes the paper)
    "reporting:report_docx": 13,
    "reporting:report_pdf": 13,
    "reporting:report_publish": 36,
    "risks:dependency_map": 9,
    "risks:escalations": 6,
    "risks:heatmap": 14,
    "risks:outside_appetite": 13,
    "risks:ranking": 14,
    "risks:register_list": 13,
    "risks:risk": 10,
    "workstreams:board ['as_at']": 16,
    "workstreams:board ['flag', 'lifecycle']": 15,
    "workstreams:board []": 15,
    "workstreams:board as recorded on": 16,
    "workstreams:changes": 15,
    "workstreams:programme_list": 8,
    "workstreams:import_batch": 10,
    "workstreams:programme": 18,
    "workstreams:programme as at": 19,
    "workstreams:programme as recorded on": 19,
    "comment_thread": 7,
    "mail_preferences": 5,
    "workstreams:programme_edit": 7,
    "workstreams:programme_grid": 14,
    "workstreams:project": 20,
    "workstreams:project as at": 23,
    "workstreams:project_create": 6,
    "workstreams:project_edit": 7,
    "workstreams:project_list [('export', 'xlsx')]": 5,
    "workstreams:project_list [('lifecycle', 'active'), ('sort', 'headline')]": 12,
    "workstreams:project_list []": 12,
    "workstreams:review": 7,
    "workstreams:update_correct": 13,
    "workstreams:workstream": 24,
    "workstreams:workstream as at": 26,
    "workstreams:workstream_create": 6,
    "workstreams:workstream_edit": 7,
    "workstreams:workstream_list [('export', 'xlsx')]": 5,
    "workstreams:workstream_list [('lifecycle', 'active'), ('sort', 'headline')]": 10,
    "workstreams:workstream_list []": 10,
    "workstreams:workstream_record_update": 10,
}


def assert_pinned(name: str, counts):
    counts = list(counts)
    assert len(set(counts)) == 1, f"{name}: {counts} queries at the two sizes"
    record = os.environ.get("RECORD_QUERY_COUNTS")
    if record:
        with open(record, "a") as out:
            out.write(json.dumps({name: counts[0]}) + "\n")
        return
    assert name in PINNED, f"{name}: {counts[0]} queries; pin it in tests/querycounts.py"
    assert counts[0] == PINNED[name], f"{name}: {counts[0]} queries, pinned at {PINNED[name]}"
