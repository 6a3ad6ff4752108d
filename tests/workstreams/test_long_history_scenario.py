"""Thirteen years of another organisation's tracker: the record holds at every date.

A programme that started in 2013 with 22 projects reported once a year on a five-point scale. In 2019 the
organisation renamed one level (Amber/Green became Amber-Green); from April 2021 it moved, as government did, to a
three-point scale. Some years some projects were not reported, or exempt. One project was renamed in 2017, and one
stopped reporting after 2019. The office configures the scales with their effective dates and imports the
tracker; every page then reads each year as it was.
"""

import io
from collections import Counter
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from changeprog.colours import readable_text_on
from changeprog.governance import save_governed
from reporting.compose import compose
from reporting.models import Board, ReportTemplate, SectionKind, TemplateSection
from reporting.services import report_create_draft
from tests.conftest import has_badge
from workstreams import services
from workstreams.changes import changes_between
from workstreams.importer import import_tracker, template_workbook
from workstreams.models import Programme, Project, StatusLevel, StatusScale

pytestmark = pytest.mark.django_db

FIVE = [("G", "Green", "#00703C"), ("AG", "Amber/Green", "#85994B"), ("A", "Amber", "#FFDD00"),
        ("AR", "Amber/Red", "#F47738"), ("R", "Red", "#D4351C")]  # fmt: skip
THREE = [("G", "Green", "#00703C"), ("A", "Amber", "#FFDD00"), ("R", "Red", "#D4351C")]
STATES = [("NR", "Not reported", "#B1B4B6", False), ("EX", "Exempt", "#4C2C92", True)]
RENAMED_ON, THREE_POINT_FROM = date(2019, 1, 1), date(2021, 4, 1)
YEARS = list(range(2013, 2026))
DAYS = [date(year, 12, 31) for year in YEARS] + [date(2026, 6, 30)]
PROJECTS = [f"Project {n:02d}" for n in range(22)]
WORKSTREAMS = ["Contact", "Investigation", "Enabling services"]
SILENT_AFTER = date(2019, 12, 31)  # Project 21 stops reporting after this


def make_scale(code, name, levels, by):
    scale = save_governed(StatusScale(code=code, name=name), by=by, reason="Set up")
    for severity, (level_code, label, colour) in enumerate(levels, start=1):
        save_governed(
            StatusLevel(
                scale=scale, code=level_code, label=label, colour=colour, text_colour=readable_text_on(colour),
                severity=severity, requires_reason=severity >= 3,
            ),
            by=by,
            reason="Set up",
        )  # fmt: skip
    for offset, (level_code, label, colour, needs_reason) in enumerate(STATES, start=90):
        save_governed(
            StatusLevel(
                scale=scale, code=level_code, label=label, colour=colour, text_colour=readable_text_on(colour),
                severity=offset, is_rating=False, requires_reason=needs_reason,
            ),
            by=by,
            reason="Set up",
        )  # fmt: skip
    return scale


def scale_on(day):
    return "three" if day >= THREE_POINT_FROM else "five-renamed" if day >= RENAMED_ON else "five"


def rating_for(n: int, day: date) -> tuple[str, str]:
    """(level word as the tracker writes it on that day, reason): deterministic, with states now and then."""
    k = (n * 7 + day.year * 3) % 11
    if k == 0:
        return "", "Not reported this year: project lead on secondment"  # Not reported (no level)
    if k == 1:
        return "Exempt", "Exempt while the national programme leads"
    kind = scale_on(day)
    labels = [label for _, label, _ in (THREE if kind == "three" else FIVE)]
    label = labels[k % len(labels)]
    if kind == "five-renamed" and label == "Amber/Green":
        label = "Amber-Green"
    return label, ("" if label == "Green" else f"Reason for {label} in {day.year}")


def tracker() -> bytes:
    book = load_workbook(io.BytesIO(template_workbook()))
    book["Programmes"].append(["ANY", "Anyshire Transformation", "Anyshire Council", date(2013, 1, 1)])
    for name in WORKSTREAMS:
        book["Workstreams"].append(["ANY", name, "", date(2013, 1, 1), "Active"])
    for n, name in enumerate(PROJECTS):
        book["Projects"].append(["ANY", WORKSTREAMS[n % 3], name, "", date(2013, 1, 1), date(2027, 3, 31)])
    for n, name in enumerate(PROJECTS):
        for day in DAYS:
            if n == 21 and day > SILENT_AFTER:
                continue
            level, reason = rating_for(n, day)
            book["Updates"].append(["ANY", WORKSTREAMS[n % 3], name, day, "Overall", level, reason, ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def history(pmo):
    return build_history(pmo)


def build_history(pmo):
    """The programme, configured and imported as an office would: structure, scales with dates, then updates."""
    five = make_scale("five-point", "Five-point", FIVE, pmo)
    three = make_scale("three-point", "Three-point", THREE, pmo)
    programme = services.programme_create(
        code="ANY", name="Anyshire Transformation", by=pmo, reason="Set up", effective=date(2013, 1, 1)
    )
    overall = programme.dimensions.get(code="overall")
    overall.not_reported_level = five.levels.get(code="NR")
    services.dimension_set_scale(dimension=overall, scale=five, by=pmo, reason="Five-point", effective=date(2013, 1, 1))
    overall.refresh_from_db()
    overall.not_reported_level = five.levels.get(code="NR")
    services.status_dimension_save(
        dimension=overall, by=pmo, reason="Rows with no level are not reported", effective=date(2013, 1, 1)
    )
    renamed = services.scale_change(
        scale=five, levels={"AG": {"label": "Amber-Green"}}, by=pmo, reason="Renamed in 2019", effective=RENAMED_ON
    )
    services.dimension_set_scale(
        dimension=programme.dimensions.get(code="overall"),
        scale=three,
        by=pmo,
        reason="Government moved to three points",
        effective=THREE_POINT_FROM,
    )
    result = import_tracker(SimpleUploadedFile("anyshire.xlsx", tracker()), by=pmo, source="anyshire.xlsx")
    assert result.ok, result.problems[:5]
    project = Project.objects.get(name="Project 03")
    services.item_update(
        item=project,
        changes={"name": "Project 03 (Digital case files)"},
        by=pmo,
        reason="Renamed",
        effective=date(2017, 6, 30),
    )
    return {"programme": Programme.objects.get(code="ANY"), "five": five, "renamed": renamed, "three": three}


def expected_counts(day):
    """What the board should count as at `day`: each project's latest rating, by label, ratings and states."""
    ratings, states, earlier = Counter(), Counter(), 0
    for n in range(len(PROJECTS)):
        reported = [d for d in DAYS if d <= day and not (n == 21 and d > SILENT_AFTER)]
        latest = reported[-1]
        word, _ = rating_for(n, latest)
        if word == "":
            states["Not reported"] += 1
        elif word == "Exempt":
            states["Exempt"] += 1
        elif scale_on(latest) != scale_on(day) and "three" in (scale_on(latest), scale_on(day)):
            earlier += 1  # rated on the five-point scale, which has no declared equivalent in the three-point one
        else:
            ratings["Amber-Green" if word == "Amber/Green" and scale_on(day) == "five-renamed" else word] += 1
    return ratings, states, earlier


def test_the_board_at_each_year_end_counts_on_the_scale_then_in_force(client, viewer, history):
    client.force_login(viewer)
    url = reverse("workstreams:board", args=[history["programme"].pk])
    for day in DAYS[:-1]:
        board = client.get(url, {"as_at": day.isoformat()}).context["board"]
        counts = board.counts
        in_force = {"five": history["five"], "five-renamed": history["renamed"], "three": history["three"]}[
            scale_on(day)
        ]
        assert {level.scale_id for level, _ in counts.levels} == {in_force.pk}, day
        ratings, states, earlier = expected_counts(day)
        assert {level.label: n for level, n in counts.levels if n} == dict(ratings), day
        assert {level.label: n for level, n in counts.states if n} == dict(states), day
        assert (counts.earlier_scale, counts.unrated) == (earlier, 0), day
        assert counts.total == len(PROJECTS)


def test_a_project_page_as_at_2018_shows_its_2018_rating_and_its_name_then(client, viewer, history):
    client.force_login(viewer)
    project = Project.objects.get(name="Project 03 (Digital case files)")
    page = client.get(project.get_absolute_url(), {"as_at": "2018-12-31"}).content.decode()
    word, _ = rating_for(3, date(2018, 12, 31))
    level = StatusLevel.objects.get(scale=history["five"], label=word) if word not in ("", "Exempt") else None
    timeline = page[page.index("Status history") :]
    assert timeline.index("As at 31 Dec 2018") < timeline.index("As at 31 Dec 2017")
    if level:
        assert has_badge(timeline[: timeline.index("As at 31 Dec 2017")], level)
    assert "As at 31 Dec 2019" not in page
    assert '<h1 class="h2">Project 03 (Digital case files)</h1>' in page  # renamed in 2017
    earlier = client.get(project.get_absolute_url(), {"as_at": "2016-12-31"}).content.decode()
    assert '<h1 class="h2">Project 03</h1>' in earlier


def test_labels_shown_for_2015_are_not_changed_by_the_2019_rename(client, viewer, history):
    client.force_login(viewer)
    amber_green = history["five"].levels.get(code="AG")
    assert amber_green.label == "Amber/Green"
    assert history["renamed"].levels.get(code="AG").label == "Amber-Green"
    rated_2015 = [n for n in range(22) if rating_for(n, date(2015, 12, 31))[0] == "Amber/Green"]
    assert rated_2015, "the data should hold an Amber/Green rating in 2015"
    project = Project.objects.get(name__startswith=f"Project {rated_2015[0]:02d}")
    page = client.get(project.get_absolute_url(), {"as_at": "2015-12-31"}).content.decode()
    assert has_badge(page, amber_green) and "Amber-Green" not in page


def test_what_changed_across_the_scale_change_says_scale_changed_and_the_rename_reads_as_movement(history):
    programme = history["programme"]
    across = [c for c in changes_between(programme, date(2020, 12, 31), date(2021, 12, 31)) if c.kind == "status"]
    ratings = [c for c in across if c.old_level and c.old_level.is_rating and c.new_level.is_rating]
    assert ratings and {c.direction for c in ratings} == {"scale changed"}
    states = [c for c in across if not (c.old_level and c.old_level.is_rating and c.new_level.is_rating)]
    assert all(c.direction in ("", "scale changed") for c in states)
    assert not any(c.direction in ("better", "worse") for c in states if not c.new_level.is_rating)
    # The rename made a version with each level mapped to its copy: 2018 to 2019 reads better or worse.
    renamed_year = [c for c in changes_between(programme, date(2018, 12, 31), date(2019, 12, 31)) if c.kind == "status"]
    moved = [c for c in renamed_year if c.old_level and c.old_level.is_rating and c.new_level.is_rating]
    assert moved and {c.direction for c in moved} <= {"better", "worse"}
    for change in moved:
        old_rank = [label for _, label, _ in FIVE].index(change.old_level.label.replace("-", "/"))
        new_rank = [label for _, label, _ in FIVE].index(change.new_level.label.replace("-", "/"))
        assert change.direction == ("worse" if new_rank > old_rank else "better")


def test_what_changed_page_marks_imported_history_as_recorded_later(client, viewer, history):
    client.force_login(viewer)
    url = reverse("workstreams:changes", args=[history["programme"].pk])
    page = client.get(url, {"since": "2020-12-31", "until": "2021-12-31", "kind": "status"}).content.decode()
    assert "scale changed" in page and "Recorded later, on" in page


def test_a_report_for_a_2016_meeting_lists_the_2016_levels_in_its_key(pmo, history):
    template = ReportTemplate.objects.create(name="Key only")
    TemplateSection.objects.create(
        template=template, order=1, heading="Status key", kind=SectionKind.GENERATED, generator="status-key"
    )
    board = Board.objects.create(name="Anyshire Cabinet", template=template)
    report = report_create_draft(board=board, programme=history["programme"], meeting_date=date(2016, 12, 31), by=pmo)
    key = compose(report)["sections"][0]["blocks"][0]
    labels = [row[0]["text"] for row in key["rows"]]
    scales = {row[1]["text"] for row in key["rows"]}
    assert "Amber/Green" in labels and "Amber-Green" not in labels
    assert {label for label in labels if label not in ("Not reported", "Exempt")} >= {name for _, name, _ in FIVE}
    assert "Three-point" not in scales
    later = report_create_draft(board=board, programme=history["programme"], meeting_date=date(2022, 6, 30), by=pmo)
    later_labels = [row[0]["text"] for row in compose(later)["sections"][0]["blocks"][0]["rows"]]
    assert "Amber/Green" not in later_labels and "Amber-Green" not in later_labels


def test_imported_structure_is_dated_from_the_file_and_reads_in_2014(client, viewer, history):
    client.force_login(viewer)
    board = client.get(reverse("workstreams:board", args=[history["programme"].pk]), {"as_at": "2014-06-30"}).context[
        "board"
    ]
    assert [c.workstream.item.name for c in board.columns] == WORKSTREAMS
    assert sum(len(c.cards) for c in board.columns) == 22
    # Nothing of it had been recorded in 2014: the record then held nothing.
    recorded = client.get(
        reverse("workstreams:board", args=[history["programme"].pk]),
        {"as_at": "2014-06-30", "recorded_on": "2014-06-30"},
    ).context["board"]
    assert recorded.columns == [] and not recorded.overview.on_record


def grid_as_presented(programme, user) -> dict:
    """The grid's form as the page presents it (every field at its starting value), ready to post back."""
    from django.utils import timezone

    from workstreams.grid import build_grid

    sheet = build_grid(programme, user, timezone.localdate())
    data = {"as_of": timezone.localdate().isoformat()}
    for row in sheet.rows:
        form = row.form
        for name in form.fields:
            value = form[name].value()
            if name == "record":
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value not in (None, ""):
                data[form.add_prefix(name)] = value
    return sheet, data


def test_the_grid_starts_every_project_from_its_last_level_on_the_scale_now_in_force(client, pmo, history):
    programme = history["programme"]
    sheet, data = grid_as_presented(programme, pmo)
    projects = {row.item.name: row for row in sheet.rows if row.kind == "project"}
    assert len(projects) == 22
    silent = projects["Project 21"]  # last rated in 2019, on the five-point scale: nothing to start from
    assert silent.form["rating_overall"].value() is None and silent.form.rows[0]["previous"] is not None
    word, reason = rating_for(0, DAYS[-1])
    started = projects["Project 00"].form
    if word not in ("", "Exempt"):
        level = StatusLevel.objects.get(pk=started["rating_overall"].value())
        assert (level.label, level.scale.code) == (word, "three-point")
        assert started["reason"].value() == reason

    client.force_login(pmo)
    url = reverse("workstreams:programme_grid", args=[programme.pk])
    refused = client.post(url, data)
    assert refused.status_code == 400
    # Nothing to start from: Project 21, and the programme and workstreams, which the tracker never rated.
    unrated = [row for row in sheet.rows if row.form["record"].value() and not any(
        row.form[f"rating_{d.code}"].value() for d in row.form.dimensions)]  # fmt: skip
    assert {row.item.name for row in unrated} == {"Project 21", "Anyshire Transformation", *WORKSTREAMS}
    for row in unrated:
        assert f"{row.item.name}</a>: Rate at least one dimension, or untick the row." in refused.content.decode()
    assert not programme_updates_today(programme)

    for row in unrated:
        data.pop(row.form.add_prefix("record"))
    assert client.post(url, data).status_code == 302
    ticked = sum(1 for row in sheet.rows if row.form["record"].value()) - len(unrated)
    assert len(programme_updates_today(programme)) == ticked


def programme_updates_today(programme):
    from django.db.models import Q
    from django.utils import timezone

    from workstreams.models import StatusUpdate

    mine = Q(project__workstream__programme=programme) | Q(workstream__programme=programme) | Q(programme=programme)
    return list(StatusUpdate.objects.filter(mine, as_of=timezone.localdate()))


def test_the_lead_named_for_imported_work_gets_one_digest_of_everything_they_owe(mailoutbox, pmo, lead_a, history):
    from reporting.reminders import send_digests
    from workstreams.models import Workstream

    contact = Workstream.objects.get(name="Contact")
    services.item_update(item=contact, changes={"lead": lead_a}, by=pmo, reason="Lead named after the import")
    send_digests()
    [message] = [m for m in mailoutbox if m.to == [lead_a.email]]
    owed = [p.name for p in Project.objects.filter(workstream=contact)]
    assert owed and all(f"{name} (Anyshire Transformation): nothing recorded" in message.body for name in owed)
    assert "Contact (Anyshire Transformation)" in message.body  # the workstream itself never reported
