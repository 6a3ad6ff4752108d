"""Reports from the data: drafts from a board's template, numbered paragraphs, and frozen publishing."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from reporting import services
from reporting.compose import compose
from reporting.models import Board, Report, ReportSection, ReportTemplate, TemplateSection
from tests.builders import publish
from tests.querycounts import assert_pinned
from workstreams import services as portfolio_services
from workstreams.models import Programme, StatusLevel, Workstream
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo")
    return Programme.objects.get(code="T2025")


def document_html(page: str) -> str:
    """The rendered report itself, without the page around it (whose form tokens change per request)."""
    start = page.index('<article class="report-document"')
    return page[start : page.index("</article>", start)]


def audit_committee():
    return Board.objects.get(name="Audit Committee")


def published_june_paper(demo):
    """The June 2022 paper the demo publishes, as the office published it."""
    return Report.objects.get(
        board=audit_committee(), programme=demo, meeting_date=date(2022, 6, 1), status="published"
    )


def june_paper(demo, pmo):
    return services.report_create_draft(
        board=audit_committee(),
        programme=demo,
        meeting_date=date(2022, 6, 1),
        comparison_date=date(2022, 4, 14),
        officer_name="Mark Webster",
        by=pmo,
    )


def test_the_audit_committee_paper_has_the_seeds_seven_numbered_sections_and_header(demo, pmo):
    document = compose(june_paper(demo, pmo))
    assert [(s["number"], s["heading"]) for s in document["sections"]] == [
        ("1", "Purpose"),
        ("2", "Recommendations"),
        ("3", "Background"),
        ("4", "Programme Status"),
        ("5", "Workstream Updates"),
        ("6", "Implications"),
        ("7", "Conclusions"),
    ]
    header = document["header"]
    assert header["addressed_to"] == "Report of the Chief Constable to the Chair and Members of the Audit Committee"
    assert (header["meeting"], header["executive_officer"], header["status"]) == (
        "June 2022",
        "Chief Constable",
        "For Information",
    )
    assert document["signed"] == {"role": "Chief Constable", "name": "Mark Webster"}


def test_paragraphs_are_numbered_within_sections_and_the_drafts_come_from_the_data(demo, pmo):
    document = compose(june_paper(demo, pmo))
    purpose, recommendations = document["sections"][0], document["sections"][1]
    assert purpose["blocks"][0]["number"] == "1.1"
    assert purpose["blocks"][0]["text"] == (
        "The purpose of the report is to update members on the progress of the Cleveland Police Service Improvement Programme."
    )
    assert recommendations["blocks"][0]["text"] == "It is recommended that members note the contents of the report."
    implications = document["sections"][5]
    assert [(b["number"], b["subheading"]) for b in implications["blocks"]] == [
        ("6.1", "Finance"),
        ("6.2", "Diversity and Equal Opportunities"),
        ("6.3", "Human Rights Act"),
        ("6.4", "Sustainability"),
        ("6.5", "Risk"),
    ]
    conclusions = document["sections"][6]["blocks"][0]["text"]
    assert conclusions == "The Service Improvement Programme is currently at Red status."


def test_each_original_workstream_is_reported_with_the_seeds_sentences(demo, pmo):
    from demo.portfolio import CLOSED_WITH_EVIDENCE, FCR_AMBER, FCR_REPLAN, IOM_AMBER, RM_DESIGN, RM_RED

    updates = compose(june_paper(demo, pmo))["sections"][4]["blocks"]
    headings = [b["subheading"] for b in updates if b["type"] == "paragraph" and b["subheading"]]
    assert headings == [
        "Force Control Room",
        "Integrated Offender Management",
        "Vulnerability (Prevention/Engagement & Missing)",
        "Resource Management",
        "Raising Investigation Standards",
    ]
    texts = [b["text"] for b in updates if b["type"] == "paragraph"]
    assert f"{FCR_AMBER} {FCR_REPLAN}" in texts and IOM_AMBER in texts and CLOSED_WITH_EVIDENCE in texts
    assert f"{RM_RED} {RM_DESIGN}" in texts
    assert updates[0]["number"] == "5.1"


def test_the_programme_status_carries_risk_and_funding_red(demo, pmo):
    from demo.portfolio import RISK_FUNDING_RED

    status = compose(june_paper(demo, pmo))["sections"][3]["blocks"]
    risk_and_funding = next(b for b in status if b["type"] == "paragraph" and b["text"] == RISK_FUNDING_RED)
    assert risk_and_funding["number"] == "4.2"
    table = next(b for b in status if b["type"] == "table")
    red = StatusLevel.objects.get(scale__code="rag", code="RED")
    this_period = {r[0]["text"]: (r[2]["text"], r[2].get("colour")) for r in table["rows"]}
    assert this_period["Risk"] == this_period["Funding"] == ("Red", red.colour)


def test_a_published_report_never_changes_after_the_data_moves_on(client, demo, pmo, viewer):
    report = published_june_paper(demo)
    client.force_login(viewer)
    before = document_html(client.get(report.get_absolute_url()).content.decode())
    fcr = Workstream.objects.get(name="Force Control Room")
    green = StatusLevel.objects.get(scale__code="rag", code="GREEN")
    portfolio_services.status_update_submit(
        subject=fcr,
        as_of=date(2022, 5, 30),  # inside the report's window: a live render would change
        ratings=[RatingInput(demo.dimensions.get(code="overall"), green)],
        by=pmo,
    )
    fcr.name = "Renamed later"
    fcr.save()
    after = document_html(client.get(report.get_absolute_url()).content.decode())
    assert before == after and "Force Control Room" in before
    assert "Renamed later" not in after


def test_a_post_to_edit_a_published_report_is_refused(client, demo, pmo):
    report = published_june_paper(demo)
    section = report.sections.get(heading="Purpose")
    client.force_login(pmo)
    assert client.post(reverse("reporting:section_edit", args=[section.pk]), {"text": "Rewritten"}).status_code == 403
    assert client.post(reverse("reporting:report_publish", args=[report.pk])).status_code == 403
    assert "Rewritten" not in str(Report.objects.get(pk=report.pk).snapshot)
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Edit Purpose" not in html and ">Publish<" not in html


def test_a_new_draft_supersedes_the_published_report(client, demo, pmo):
    report = published_june_paper(demo)
    client.force_login(pmo)
    response = client.post(reverse("reporting:report_supersede", args=[report.pk]))
    draft = Report.objects.get(supersedes=report)
    assert response["Location"] == draft.get_absolute_url()
    publish(draft, pmo)
    assert Report.objects.get(pk=report.pk).status == "superseded"


def test_a_summary_recommendations_supporting_template_made_in_the_admin_renders(client, superuser, demo, pmo):
    client.force_login(superuser)
    response = client.post(
        "/admin/reporting/reporttemplate/add/",
        {
            "name": "Summary / Recommendations / Supporting information",
            "description": "",
            "change_reason": "Layout used by the PCC's panel",
            "sections-TOTAL_FORMS": "3",
            "sections-INITIAL_FORMS": "0",
            "sections-MIN_NUM_FORMS": "0",
            "sections-MAX_NUM_FORMS": "1000",
            "sections-0-order": "1",
            "sections-0-heading": "Summary",
            "sections-0-kind": "narrative",
            "sections-0-generator": "",
            "sections-0-draft": "The {programme} is reporting {overall}.",
            "sections-0-numbering": "none",
            "sections-1-order": "2",
            "sections-1-heading": "Recommendations",
            "sections-1-kind": "narrative",
            "sections-1-generator": "",
            "sections-1-draft": "Members are asked to note the report.",
            "sections-1-numbering": "letter",
            "sections-2-order": "3",
            "sections-2-heading": "Supporting information",
            "sections-2-kind": "generated",
            "sections-2-generator": "workstream-updates",
            "sections-2-numbering": "letter",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    template = ReportTemplate.objects.get(name__startswith="Summary")
    assert TemplateSection.objects.filter(template=template).count() == 3
    board = Board.objects.create(name="Police and Crime Panel", template=template)
    report = services.report_create_draft(board=board, programme=demo, meeting_date=date(2022, 6, 1), by=pmo)
    document = compose(report)
    assert [(s["number"], s["heading"]) for s in document["sections"]] == [
        ("", "Summary"),
        ("A.", "Recommendations"),
        ("B.", "Supporting information"),
    ]
    assert document["sections"][0]["blocks"][0]["text"] == "The Service Improvement Programme is reporting Red."
    assert document["sections"][0]["blocks"][0].get("number") is None
    assert document["sections"][1]["blocks"][0]["number"] == "A.1"
    client.force_login(pmo)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "<h2>A. Recommendations</h2>" in page and "1 A." not in page
    assert ReportSection.objects.filter(report=report).count() == 3


@pytest.mark.parametrize(("persona", "status"), [("pmo", 200), ("lead_a", 403), ("viewer", 403)])
def test_only_the_programme_office_sees_and_edits_drafts(client, request, demo, pmo, persona, status):
    report = june_paper(demo, pmo)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(report.get_absolute_url()).status_code == status
    section = report.sections.get(heading="Purpose")
    response = client.post(reverse("reporting:section_edit", args=[section.pk]), {"text": "Edited purpose"})
    assert response.status_code == (302 if status == 200 else 403)


@pytest.mark.parametrize("persona", ["pmo", "lead_a", "viewer"])
def test_every_role_reads_published_reports(client, request, demo, pmo, persona):
    report = published_june_paper(demo)
    client.force_login(request.getfixturevalue(persona))
    html = client.get(report.get_absolute_url()).content.decode()
    assert "1 Purpose" in html and "Published on" in html


def test_viewers_cannot_create_reports(client, demo, viewer):
    client.force_login(viewer)
    url = reverse("reporting:report_create", args=[audit_committee().pk])
    assert client.get(url).status_code == 403
    before = Report.objects.count()
    assert client.post(url, {"programme": demo.pk, "meeting_date": "2022-06-01"}).status_code == 403
    assert Report.objects.count() == before


def test_report_pages_make_the_same_queries_at_two_sizes(client, pmo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.builders import build_portfolio

    client.force_login(pmo)
    counts = []
    for size in (5, 300):
        programme, _, _ = build_portfolio(projects=size, by=pmo, updates_per_item=2)
        report = services.report_create_draft(
            board=audit_committee(),
            programme=programme,
            meeting_date=date(2022, 3, 1),
            comparison_date=date(2022, 1, 15),
            by=pmo,
        )
        with CaptureQueriesContext(connection) as draft_queries:
            assert client.get(report.get_absolute_url()).status_code == 200
        publish(report, pmo)
        with CaptureQueriesContext(connection) as published_queries:
            assert client.get(report.get_absolute_url()).status_code == 200
        counts.append((len(draft_queries.captured_queries), len(published_queries.captured_queries)))
    assert_pinned("reporting:report draft", [c[0] for c in counts])
    assert_pinned("reporting:report published", [c[1] for c in counts])


def test_lines_starting_with_a_bullet_mark_become_the_paragraphs_bullets():
    from reporting.document import paragraph

    block = paragraph(
        "The following should be noted:\n· Grey items are complete\n- Purple items\n  have been deprioritised"
    )
    assert block["text"] == "The following should be noted:"
    assert block["bullets"] == ["Grey items are complete", "Purple items have been deprioritised"]


def test_a_draft_names_the_workstreams_opened_and_closed_since_the_comparison_date(demo, pmo):
    template = audit_committee().template
    rationale = template.sections.get(heading__endswith="rationale")
    rationale.draft = "Closed: {closed}.\n{opened}\nUnknown: {nonsense}"
    rationale.save()
    report = june_paper(demo, pmo)
    text = report.sections.get(heading__endswith="rationale").text
    assert "Closed: Vulnerability (Prevention/Engagement & Missing) and Raising Investigation Standards." in text
    assert "· Enabling Services: The Enabling Services scope brought together" in text
    assert "Unknown: {nonsense}" in text  # left for the office to see, not an error


def test_a_stray_brace_in_a_draft_is_kept_as_written(demo, pmo):
    purpose = audit_committee().template.sections.get(heading="Purpose")
    purpose.draft = "Members asked about {the budget"
    purpose.save()
    assert june_paper(demo, pmo).sections.get(heading="Purpose").text == "Members asked about {the budget"


def test_the_risk_summary_shows_the_register_as_it_stood_at_the_meeting(demo, pmo):
    from risks import services as risk_services
    from risks.models import Register, Risk

    register = Register.objects.get(programme=demo)
    first = Risk.objects.get(register=register, number=1)
    risk_services.risk_review(  # after the meeting: the June paper still shows 5 × 4 = 20
        risk=first,
        reviewed_on=date(2022, 7, 1),
        current_likelihood=2,
        current_impact=2,
        by=pmo,
        reason="Business case approved",
    )
    risk_services.risk_raise(
        register=register,
        title="Raised after the meeting",
        category=first.category,
        scores=risk_services.Scores((5, 5), (5, 5), (1, 1)),
        owner=pmo,
        by=pmo,
        raised_on=date(2022, 7, 2),
    )
    board = Board.objects.get(name="Executive")
    report = services.report_create_draft(board=board, programme=demo, meeting_date=date(2022, 6, 1), by=pmo)
    risks = next(s for s in compose(report)["sections"] if s["heading"] == "Top risks")["blocks"]
    assert risks[0]["text"].startswith("At 1 June 2022 the programme risk register held 5 open risks")
    rows = next(b for b in risks if b["type"] == "table")["rows"]
    assert [(r[0]["text"], r[2]["text"]) for r in rows][0] == ("T2025-R001", "20")
    assert "Raised after the meeting" not in [r[1]["text"] for r in rows]
