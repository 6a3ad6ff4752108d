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
        "Updates: The sheet has more than 5 rows; an import takes at most 5 per sheet. Split the file."
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
    checked = client.post(reverse("workstreams:import"), {"file": upload(content), "dry_run": "on"}, follow=True)
    assert "The file is valid. Would import 1 new programmes" in checked.content.decode()
    assert not Programme.objects.filter(code="FCP").exists()
    done = client.post(checked.redirect_chain[-1][0], follow=True)
    assert "Imported 1 new programmes" in done.content.decode()
    assert Programme.objects.filter(code="FCP").exists()


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


# --- Provenance and dated structure ---------------------------------------------------------------------------


def structured(edit) -> bytes:
    book = load_workbook(io.BytesIO(template_workbook()))
    book["Programmes"].append(["OLD", "Old programme", "Anyshire Police", date(2014, 4, 1)])
    book["Workstreams"].append(["OLD", "Estates", "", date(2014, 4, 1), "Active"])
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_import_is_a_batch_that_everything_it_made_links_back_to(client, pmo, viewer):
    result = import_tracker(upload(tracker(projects=2, months=MONTHS[:2])), by=pmo, source="anyshire.xlsx")
    batch = result.summary.batch
    assert (batch.file_name, batch.imported_by, len(batch.checksum)) == ("anyshire.xlsx", pmo, 64)
    assert batch.counts["projects"] == 2 and batch.counts["updates"] == 4
    programme = Programme.objects.get(code="FCP")
    assert programme.import_batch == batch
    assert {p.import_batch for p in Project.objects.all()} == {batch}
    assert {u.import_batch for u in StatusUpdate.objects.all()} == {batch}
    # The row's own reason stays the reason: the file's name is in the history, not in the status.
    red = StatusUpdate.objects.filter(ratings__reason__startswith="Month").first()
    assert red.reason == "" and not red.ratings.filter(reason__startswith="Imported").exists()
    assert red.history.first().history_change_reason == f"Imported from anyshire.xlsx (import {batch.pk})"
    client.force_login(viewer)
    project_page = client.get(Project.objects.first().get_absolute_url()).content.decode()
    assert f'href="{batch.get_absolute_url()}">Tracker import {batch.pk}</a>' in project_page
    batch_page = client.get(batch.get_absolute_url()).content.decode()
    assert "anyshire.xlsx" in batch_page and batch.checksum in batch_page and "Project 01" in batch_page


def test_closed_items_take_their_closed_on_date_and_read_open_before_it(pmo):
    def edit(book):
        book["Projects"].append(
            ["OLD", "Estates", "New HQ", "", date(2015, 1, 5), None, None, "Closed", date(2019, 3, 29)]
        )
        book["Projects"].append(["OLD", "Estates", "Fleet", "", date(2016, 2, 1), None, None, "Active"])

    result = import_tracker(upload(structured(edit)), by=pmo, source="estates.xlsx")
    assert result.ok, result.problems
    assert result.summary.closed == 1
    programme = Programme.objects.get(code="OLD")
    from workstreams.selectors import programme_overview

    def state(day, name):
        overview = programme_overview(programme, as_of=day)
        return next((p.item.lifecycle for w in overview.workstreams for p in w.projects if p.item.name == name), None)

    assert state(date(2014, 12, 31), "New HQ") is None  # not yet on record
    assert state(date(2019, 3, 28), "New HQ") == "active"
    assert state(date(2019, 3, 29), "New HQ") == "closed"
    assert state(date(2016, 1, 31), "Fleet") is None and state(date(2016, 2, 1), "Fleet") == "active"
    assert [w.item.name for w in programme_overview(programme, as_of=date(2014, 4, 1)).workstreams] == ["Estates"]


@pytest.mark.parametrize(
    ("row", "where", "message"),
    [
        (
            ["OLD", "Estates", "HQ", "", date(2015, 1, 5), None, None, "Closed"],
            "I",
            "A closed item needs the date it closed.",
        ),
        (
            ["OLD", "Estates", "HQ", "", date(2015, 1, 5), None, None, "Active", date(2019, 3, 29)],
            "H",
            "so the lifecycle must be Closed",
        ),
        (
            ["OLD", "Estates", "HQ", "", date(2015, 1, 5), None, None, "Closed", date(2014, 3, 29)],
            "I",
            "It closed before it started.",
        ),
        (
            ["OLD", "Estates", "x" * 201, "", date(2015, 1, 5)],
            "C",
            "A name is at most 200 characters; this one has 201.",
        ),
    ],
)
def test_a_structure_row_that_cannot_be_true_is_a_problem_on_its_row(pmo, row, where, message):
    result = import_tracker(upload(structured(lambda book: book["Projects"].append(row))), by=pmo, source="e.xlsx")
    [problem] = result.problems
    assert (problem.sheet, problem.row, problem.column[:1]) == ("Projects", 2, where)
    assert message in problem.message
    assert not Programme.objects.filter(code="OLD").exists()


def test_a_programme_code_with_spaces_is_a_problem_not_a_server_error(pmo):
    def edit(book):
        book["Programmes"].append(["NEW PROG", "New programme", "", date(2020, 1, 1)])

    result = import_tracker(upload(structured(edit)), by=pmo, source="e.xlsx")
    assert [(p.row, p.column) for p in result.problems] == [(3, "A (Code)")]


def test_columns_are_found_by_header_in_any_order_and_an_unknown_one_is_reported(pmo):
    book = load_workbook(io.BytesIO(template_workbook()))
    sheet = book["Programmes"]
    sheet.delete_rows(1)
    sheet.append(["Name", "Start date", "Code", "Notes"])
    sheet.append(["Reordered", date(2020, 1, 1), "RE", "ignored?"])
    out = io.BytesIO()
    book.save(out)
    result = import_tracker(upload(out.getvalue()), by=pmo, source="r.xlsx")
    assert [str(p) for p in result.problems] == [
        "Programmes, row 1, column D (Notes): ChangeProg does not import a column “Notes” here. Columns: Code, "
        "Name, Organisation, Start date."
    ]
    sheet.delete_cols(4)
    out = io.BytesIO()
    book.save(out)
    assert import_tracker(upload(out.getvalue()), by=pmo, source="r2.xlsx").ok
    assert Programme.objects.get(code="RE").name == "Reordered"


def test_updates_before_an_existing_item_was_on_record_are_problems(pmo, portfolio, rag):
    # The test portfolio is on record from 1 January 2020.
    programme = portfolio["programme"]

    def edit(book):
        book["Updates"].append([programme.code, "Workstream A", "", date(2019, 6, 30), "Overall", "Green"])

    result = import_tracker(upload(structured(edit)), by=pmo, source="early.xlsx")
    [problem] = result.problems
    assert problem.column == "D (As of)" and "on record in ChangeProg only from 1 Jan 2020" in problem.message


def test_the_levels_sheet_lists_each_programmes_dimensions_and_scales_with_aliases(client, pmo, portfolio):
    amber = StatusLevel.objects.get(scale__code="rag", code="AMBER")
    amber.aliases = "A\nAmber/Yellow"
    amber.save()
    sheet = load_workbook(io.BytesIO(template_workbook()))["Levels"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    assert header[:3] == ["Programme", "Dimension (code)", "Dimension"] and "Aliases" in header
    programme_code = portfolio["programme"].code
    owners = {r[0] for r in rows[1:]}
    assert "(default for a new programme)" in owners and programme_code in owners
    amber_rows = [r for r in rows[1:] if r[0] == programme_code and r[1] == "overall" and r[7] == "Amber"]
    assert amber_rows and amber_rows[0][header.index("Aliases")] == "A, Amber/Yellow"
    assert amber_rows[0][header.index("Kind")] == "rating"


# --- A file that cannot be used against the server ----------------------------------------------------------------


def with_dimension(content: bytes, sheet: str, claim: str) -> bytes:
    """The workbook with one sheet's own size record (<dimension ref=…>) rewritten to claim `claim`."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    names = {n: source.read(n) for n in source.namelist()}
    book = load_workbook(io.BytesIO(content))
    path = f"xl/worksheets/sheet{book.sheetnames.index(sheet) + 1}.xml"
    names[path] = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{claim}"'.encode(), names[path])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in names.items():
            target.writestr(name, data)
    return out.getvalue()


def test_rows_are_counted_by_reading_them_not_from_the_sheets_own_record(pmo, settings):
    content = tracker(projects=2, months=MONTHS[:3])  # six update rows
    # A record claiming one row must not hide the other five ...
    understated = import_tracker(
        upload(with_dimension(content, "Updates", "A1:H2")), by=pmo, source="u.xlsx", dry_run=True
    )
    assert understated.ok and understated.summary.updates == 6
    # ... and one claiming 200,000 rows must not refuse a file of six.
    settings.IMPORT_MAX_ROWS = 10
    overstated = import_tracker(
        upload(with_dimension(content, "Updates", "A1:H200001")), by=pmo, source="o.xlsx", dry_run=True
    )
    assert overstated.ok and overstated.summary.updates == 6


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(pmo, settings):
    import zipfile

    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    content = tracker(projects=1, months=MONTHS[:1])
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        target.writestr("xl/media/padding.bin", b"\0" * (5 * 1024 * 1024))  # 5 MB that packs to a few KB
    bomb = out.getvalue()
    assert len(bomb) < 100 * 1024
    result = import_tracker(upload(bomb), by=pmo, source="bomb.xlsx")
    [problem] = result.problems
    assert problem.message.startswith("The workbook unpacks to 5.") and "at most 1.0" in problem.message
    assert not Programme.objects.filter(code="FCP").exists()


def test_a_file_with_too_many_cells_is_refused_by_sheet_and_row(pmo, settings):
    settings.IMPORT_MAX_CELLS = 100
    result = import_tracker(upload(tracker(projects=3, months=MONTHS[:6])), by=pmo, source="c.xlsx")
    [problem] = result.problems
    assert problem.sheet == "Updates" and "more than 100 cells" in problem.message


def test_the_tracker_names_each_items_stage_and_an_unknown_one_is_refused(pmo):
    from changeprog.governance import save_governed
    from workstreams.models import Stage

    design = save_governed(Stage(name="Design"), by=pmo, reason="Our stages")

    def stages(names):
        def edit(book):
            sheet = book["Projects"]
            column = [cell.value for cell in sheet[1]].index("Stage") + 1
            for row, name in enumerate(names, start=2):
                sheet.cell(row=row, column=column, value=name)

        return edit

    refused = import_tracker(upload(tracker(projects=2, months=MONTHS[:1], edit=stages(["design", "Build"]))),
                             by=pmo, source="t.xlsx")  # fmt: skip
    assert [str(p) for p in refused.problems] == ["Projects, row 3, column J (Stage): Allowed values: “Design”."]
    result = import_tracker(upload(tracker(projects=2, months=MONTHS[:1], edit=stages(["Design", ""]))), by=pmo,
                            source="t.xlsx")  # fmt: skip
    assert result.ok, result.problems
    assert {p.name: p.stage for p in Project.objects.all()} == {"Project 00": design, "Project 01": None}
