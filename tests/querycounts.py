"""The number of SQL queries each page makes, pinned.

Every query-count test measures a page at two data sizes; the counts must be equal (the page does not grow with
the data) and equal to the number pinned here, so that a change in a page's queries is a decision made in this
file, not a drift. Run with RECORD_QUERY_COUNTS=<file> to write the measured counts (one JSON line each) instead
of comparing them with the pins.
"""

import json
import os

PINNED = {
    # Pages that read a programme's or workstream's milestones or money read the ids of its workstreams and
    # projects first (`workstreams.models.subject_scope`: one or two small queries), so the database reads each
    # key's index instead of scanning every line and milestone in the portfolio.
    # Forms and filters choose people with searchable pickers (changeprog.people), which list no one: the pages
    # that offered every account or role holder in a select make one or two queries fewer than before.
    # The register imports, the API token page, the portfolios list.
    "api:token": 6,
    "assurance:benefits_import": 5,
    "assurance:drivers_import": 5,
    "risks:assessments_import": 5,
    "risks:dependencies_import": 5,
    "risks:import": 5,
    "workstreams:portfolios": 6,
    # A portfolio's own status (its page's roll-up, the scale's levels) and its published papers.
    "workstreams:portfolio_status": 18,
    "reporting:portfolio_papers": 8,
    "workstreams:milestones": 10,
    "workstreams:roadmap": 10,
    # Money: the item, its year by kind and month, its children's totals, the tolerance, the cases' funding.
    "finance:programme": 13,
    "finance:workstream": 11,
    "finance:project": 9,
    "finance:project_edit": 8,
    "finance:tolerance": 7,
    "finance:import": 5,
    "workstreams:project_milestone_create": 6,
    "workstreams:milestone_edit": 8,
    "workstreams:workstream_roadmap": 9,
    # The API: the token, the user's permissions, the own fields, the count, the page (and its ratings).
    "api:benefit-list": 5,
    "api:customfield-list": 5,
    "api:portfolio-list": 4,
    "api:programme-list": 6,
    "api:project-list": 6,
    "api:risk-list": 6,
    "api:statusupdate-list": 6,
    "api:workstream-list": 6,
    "assurance:benefits": 11,
    "assurance:case": 12,
    "assurance:cases": 9,
    "assurance:coverage": 17,
    "assurance:decisions": 8,
    "assurance:driver": 10,
    "assurance:drivers": 7,
    "assurance:embedding": 9,
    "reporting:challenge_answer": 8,
    "reporting:challenge_create": 6,
    # *What changed* (the page and the dashboard's panel) reads the rows before a window's changes only when it
    # holds some: these windows hold no milestone changes.
    "reporting:dashboard": 37,
    "reporting:report": 25,
    "reporting:report draft": 24,
    "reporting:report published": 10,
    "home (my work)": 22,  # 17 (everyone's updates owed counted per programme in SQL), the next paper named, and the workstreams the person leads (read first so their projects are found by index)
    "my work: the next paper": 31,  # its publish gate, fetched after the page: it composes the paper (46 on one page)
    "reporting:report_docx": 13,
    "reporting:report_pdf": 13,
    "reporting:report_publish": 33,  # the gate composes the paper on the overview it has read; the comparison read when asked
    "risks:dependency_map": 10,
    "risks:escalations": 7,
    # The open risks counted per cell as the database keeps them; no list of registers. The grid is read in three
    # small queries (the two scales, the cells with their bands), not as the whole scheme with its categories.
    "risks:heatmap": 10,
    "risks:outside_appetite": 11,  # registers chosen by a picker, not listed
    "risks:ranking": 15,
    "risks:register_list": 11,  # registers chosen by a picker, not listed
    "risks:risk": 12,
    "workstreams:board ['as_at']": 20,
    "workstreams:board ['flag', 'lifecycle']": 17,
    "workstreams:board []": 17,
    "workstreams:board as recorded on": 20,
    "workstreams:changes": 15,
    "workstreams:programme_list": 9,
    "workstreams:portfolio": 13,  # with the scales their headlines are on, and its recorded statuses
    "workstreams:import_batch": 11,
    "workstreams:programme": 21,
    "workstreams:programme as at": 24,
    "workstreams:programme as recorded on": 24,
    "comment_thread": 8,
    "mail_preferences": 6,
    "workstreams:programme_edit": 10,
    "workstreams:programme_grid": 15,
    "workstreams:project": 22,
    "workstreams:project as at": 25,
    "workstreams:project_create": 8,
    "workstreams:project_edit": 10,
    "workstreams:project_list [('export', 'xlsx')]": 7,
    "workstreams:project_list [('lifecycle', 'active'), ('sort', 'headline')]": 12,
    "workstreams:project_list []": 12,
    "project list with custom fields": 13,  # the fields, their annotations, the people named on the page
    "workstreams:review": 8,
    "workstreams:update_correct": 14,
    "workstreams:workstream": 26,
    "workstreams:workstream as at": 28,
    "workstreams:workstream_create": 8,
    "workstreams:workstream_edit": 10,
    "workstreams:workstream_list [('export', 'xlsx')]": 7,
    "workstreams:workstream_list [('lifecycle', 'active'), ('sort', 'headline')]": 12,
    "workstreams:workstream_list []": 12,
    "workstreams:workstream_record_update": 12,  # with the status rules of its dimensions
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
