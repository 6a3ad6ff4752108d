"""The number of SQL queries each page makes, pinned.

Every query-count test measures a page at two data sizes; the counts must be equal (the page does not grow with
the data) and equal to the number pinned here, so that a change in a page's queries is a decision made in this
file, not a drift. Run with RECORD_QUERY_COUNTS=<file> to write the measured counts (one JSON line each) instead
of comparing them with the pins.
"""

import json
import os

PINNED = {
    # The API: the token, the user's permissions, the own fields, the count, the page (and its ratings).
    "api:benefit-list": 5,
    "api:customfield-list": 5,
    "api:programme-list": 6,
    "api:project-list": 6,
    "api:risk-list": 6,
    "api:statusupdate-list": 6,
    "api:workstream-list": 6,
    "assurance:benefits": 10,
    "assurance:case": 11,
    "assurance:cases": 8,
    "assurance:coverage": 16,
    "assurance:decisions": 7,
    "assurance:driver": 9,
    "assurance:drivers": 6,
    "assurance:embedding": 8,
    "reporting:challenge_answer": 7,
    "reporting:challenge_create": 5,
    "reporting:dashboard": 41,
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
    "risks:outside_appetite": 14,
    "risks:ranking": 14,
    "risks:register_list": 14,
    "risks:risk": 11,
    "workstreams:board ['as_at']": 17,
    "workstreams:board ['flag', 'lifecycle']": 16,
    "workstreams:board []": 16,
    "workstreams:board as recorded on": 17,
    "workstreams:changes": 15,
    "workstreams:programme_list": 8,
    "workstreams:import_batch": 10,
    "workstreams:programme": 19,
    "workstreams:programme as at": 20,
    "workstreams:programme as recorded on": 20,
    "comment_thread": 7,
    "mail_preferences": 5,
    "workstreams:programme_edit": 8,
    "workstreams:programme_grid": 14,
    "workstreams:project": 21,
    "workstreams:project as at": 24,
    "workstreams:project_create": 7,
    "workstreams:project_edit": 8,
    "workstreams:project_list [('export', 'xlsx')]": 6,
    "workstreams:project_list [('lifecycle', 'active'), ('sort', 'headline')]": 13,
    "workstreams:project_list []": 13,
    "project list with custom fields": 16,  # the fields, their annotations, the people named on the page
    "workstreams:review": 7,
    "workstreams:update_correct": 13,
    "workstreams:workstream": 25,
    "workstreams:workstream as at": 27,
    "workstreams:workstream_create": 7,
    "workstreams:workstream_edit": 8,
    "workstreams:workstream_list [('export', 'xlsx')]": 6,
    "workstreams:workstream_list [('lifecycle', 'active'), ('sort', 'headline')]": 11,
    "workstreams:workstream_list []": 11,
    "workstreams:workstream_record_update": 11,  # with the status rules of its dimensions
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
