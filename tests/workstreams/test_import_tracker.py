"""Importing an existing Excel tracker: everything checked first, every problem placed, history at its dates."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import formats, timezone
from openpyxl import load_workbook

from workstreams import selectors
from workstreams.importer import import_tracker, template_workbook
from workstreams.models import ImportBatch, Programme, Project, StatusLevel, StatusUpdate

pytestmark = pytest.mark.django_db

MONTHS = [date(2020 + (m // 12), m % 12 + 1, 28) for m in range(24)]  # Jan 2020 … Dec 2021
LEVELS = ["Green", "Amber", "Red"]


def tracker(*, projects=20, months=MONTHS, edit=None) -> bytes:
    """The template, filled with a programme, two workstreams, `projects` projects and monthly updates."""
    book = load_workbook(io.BytesIO(template_workbook()))
    book["Programmes"].append(["FCP", "Force Change Programme", "Anyshire Police", "01/01/2020"])
    for ws in ("Contact", "Enabling"):
        book["Workstreams"].append(["FCP", ws, "", date(2020, 1, 1), "Active"])
    for n in range(projects):
        book["Projects"].append(
            [
                "FCP",
                ("Contact", "Enabling")[n % 2],
                f"Project {n:02d}",
                "",
                date(2020, 1, 1),
                date(2022, 3, 31),
                None,
                "",
            ]
        )
    for n in range(projects):
        for m, day in enumerate(months):
            level = LEVELS[(n + m) % 3]
            reason = "" if level == "Green" else f"Month {m + 1} reason"
            book["Updates"].append(
                [
                    "FCP",
                    ("Contact", "Enabling")[n % 2],
                    f"Project {n:02d}",
                    day,
                    "Overall",
                    level,
                    reason,
                    f"Month {m + 1}",
                ]
            )
    if edit:
        edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(content: bytes, name="tracker.xlsx"):
    return SimpleUploadedFile(name, content)


def test_two_years_of_monthly_updates_become_a_24_point_trend_on_each_project(client, pmo):
    result = import_tracker(upload(tracker()), by=pmo, source="tracker.xlsx")
    assert result.ok, result.problems
    assert (result.summary.projects, result.summary.updates) == (20, 480)
    programme = Programme.objects.get(code="FCP")
    overall = programme.dimensions.get(code="overall")
    for project in Project.objects.filter(workstream__programme=programme):
        points = selectors.trend(project, overall, periods=24)
        assert [day for day, _ in points] == MONTHS
    # Each update takes effect at its own date, so "as at" and "what changed" see the past; the history also
    # says it was entered today, by the importing user.
    first = StatusUpdate.objects.filter(project__name="Project 00").order_by("as_of").first()
    row = first.history.first()
    assert row.effective_date == date(2020, 1, 28)
    assert row.history_date.date() == timezone.now().date() and row.history_user == pmo
    assert first.recorded_later and first.import_batch == result.summary.batch
    client.force_login(pmo)
    page = client.get(Project.objects.get(name="Project 05").get_absolute_url()).content.decode()
    assert "over the last 24 updates" in page


def test_one_bad_cell_saves_nothing_and_names_its_sheet_row_column_and_the_allowed_values(pmo):
    def bad(book):
        book["Updates"]["F7"] = "Amber/ Red"

    result = import_tracker(upload(tracker(edit=bad)), by=pmo, source="tracker.xlsx")
    assert [str(p) for p in result.problems] == [
        "Updates, row 7, column F (Level): “Amber/ Red” is not a level of Overall (RAG, the scale in force on "
        "28 Jun 2020). Allowed values: “Green”, “Amber”, “Red” (or their codes and aliases)."
    ]
    assert not Programme.objects.filter(code="FCP").exists()
    assert not StatusUpdate.objects.exists()


@pytest.mark.parametrize("word", ["amber", "Amber/ Red", "AMBR", "G"])
def test_look_alikes_are_reported_not_guessed(pmo, word):
    def edit(book):
        book["Updates"]["F2"] = word

    result = import_tracker(upload(tracker(projects=1, months=MONTHS[:1], edit=edit)), by=pmo, source="t.xlsx")
    assert not result.ok and result.problems[0].column == "F (Level)"


def test_an_alias_given_to_a_level_is_matched_exactly(pmo):
    amber = StatusLevel.objects.get(scale__code="rag", code="AMBER")
    amber.aliases = "A\nAmber/Yellow"
    amber.save()

    def edit(book):
        book["Updates"]["F2"] = "Amber/Yellow"
        book["Updates"]["G2"] = "A reason"

    result = import_tracker(upload(tracker(projects=1, months=MONTHS[:1], edit=edit)), by=pmo, source="t.xlsx")
    assert result.ok, result.problems
    assert StatusUpdate.objects.get().ratings.get().level == amber


def test_every_problem_is_reported_at_once(pmo):
    def edit(book):
        book["Projects"]["D2"] = "nobody"
        book["Updates"]["D3"] = "31/02/2021"
        book["Updates"]["E4"] = "Mood"
        book["Updates"]["G5"] = ""  # an Amber or Red without a reason
        book["Updates"]["F5"] = "Red"

    result = import_tracker(upload(tracker(projects=2, months=MONTHS[:3], edit=edit)), by=pmo, source="t.xlsx")
    where = [(p.sheet, p.row, p.column) for p in result.problems]
    assert ("Projects", 2, "D (Manager)") in where
    assert ("Updates", 3, "D (As of)") in where
    assert ("Updates", 4, "E (Dimension)") in where
    assert ("Updates", 5, "G (Reason)") in where
    assert not Programme.objects.filter(code="FCP").exists()


def test_a_dry_run_reports_what_it_would_import_and_saves_nothing(pmo):
    result = import_tracker(upload(tracker(projects=3, months=MONTHS[:2])), by=pmo, source="t.xlsx", dry_run=True)
    assert result.ok and str(result.summary) == (
        "Would import 1 new programmes, 2 new workstreams, 3 new projects (0 of them closed) and 6 status "
        "updates (6 ratings), dated 28 Jan 2020 to 28 Feb 2020."
    )
    assert not Programme.objects.filter(code="FCP").exists()


def test_importing_the_same_file_again_is_refused_by_its_checksum(pmo):
    content = tracker(projects=1, months=MONTHS[:2])
    first = import_tracker(upload(content), by=pmo, source="t.xlsx")
    assert first.ok
    again = import_tracker(upload(content), by=pmo, source="t-copy.xlsx")
    today = formats.date_format(timezone.localdate(), "j M Y")
    assert [str(p) for p in again.problems] == [
        f"File: This file was imported on {today} by {pmo.get_full_name()} (import {first.summary.batch.pk}); "
        "importing it again would add nothing."
    ]
    assert StatusUpdate.objects.count() == 2 and ImportBatch.objects.count() == 1


def test_a_later_export_of_the_same_tracker_skips_what_is_recorded_and_refuses_what_differs(pmo):
    assert import_tracker(upload(tracker(projects=1, months=MONTHS[:2])), by=pmo, source="t.xlsx").ok
    # The next month's export repeats the first two months and adds a third: only the third is new.
    grown = import_tracker(upload(tracker(projects=1, months=MONTHS[:3])), by=pmo, source="t2.xlsx")
    assert grown.ok, grown.problems
    assert (grown.summary.updates, grown.summary.skipped) == (1, 2)
    assert StatusUpdate.objects.count() == 3

    def changed(book):
        book["Updates"]["F2"] = "Red"
        book["Updates"]["G2"] = "A new reason"

    refused = import_tracker(upload(tracker(projects=1, months=MONTHS[:3], edit=changed)), by=pmo, source="t3.xlsx")
    assert [(p.row, p.column) for p in refused.problems] == [(2, "D (As of)")]
    assert "already has an update as at 28 Jan 2020" in refused.problems[0].message
    assert StatusUpdate.objects.count() == 3


def test_size_and_row_limits_are_refused_with_a_clear_message(pmo, settings):
    settings.IMPORT_MAX_BYTES = 1024
    result = import_tracker(upload(tracker(projects=1, months=MONTHS[:1])), by=pmo, source="t.xlsx")
    assert result.problems[0].message.startswith("The file is ")
    assert result.problems[0].message.endswith("; an import takes at most 1.0\xa0KB. Split it.")
    assert not Programme.objects.filter(code="FCP").exists()
    settings.IMPORT_MAX_BYTES = 10 * 1024 * 1024
    settings.IMPORT_MAX_ROWS = 5
    result = import_tracker(upload(tracker(projects=3, months=MONTHS[:3])), by=pmo, source="t.xlsx")
    assert str(result.problems[0]) == (
        "Updates: The sheet has 9 rows; an import takes at most 5 per sheet. Split the file."
    )


def test_a_file_that_is_not_a_workbook_is_refused(pmo):
    result = import_tracker(upload(b"not a workbook"), by=pmo, source="t.xlsx")
    assert str(result.problems[0]) == "File: This is not an Excel workbook (.xlsx). Start from the template."


def test_the_programme_office_checks_then_imports_in_the_browserless_page(client, pmo):
    client.force_login(pmo)
    template = client.get(reverse("workstreams:import_template"))
    assert load_workbook(io.BytesIO(template.content)).sheetnames == [
        "Read me",
        "Programmes",
        "Workstreams",
        "Projects",
        "Updates",
        "Levels",
    ]
    content = tracker(projects=2, months=MONTHS[:2])
    checked = client.post(reverse("workstreams:import"), {"file": upload(content), "dry_run": "on"})
    assert checked.status_code == 200 and "Would import 1 new programmes" in checked.content.decode()
    assert not Programme.objects.filter(code="FCP").exists()
    done = client.post(reverse("workstreams:import"), {"file": upload(content)})
    assert done.status_code == 302 and Programme.objects.filter(code="FCP").exists()


def test_import_tracker_command_checks_and_imports(tmp_path, pmo):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(tracker(projects=1, months=MONTHS[:2]))
    out = io.StringIO()
    call_command("import_tracker", str(path), "--dry-run", "--user", pmo.username, stdout=out)
    assert out.getvalue().startswith("Would import 1 new programmes")
    assert not Programme.objects.filter(code="FCP").exists()
    call_command("import_tracker", str(path), "--user", pmo.username, stdout=out)
    assert StatusUpdate.objects.count() == 2
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nope")
    with pytest.raises(CommandError, match="1 problems; nothing was saved"):
        call_command("import_tracker", str(bad), "--user", pmo.username, stdout=out, stderr=io.StringIO())
