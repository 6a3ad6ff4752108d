""" "What changed": every movement between two dates, with who and why."""

from datetime import date

import pytest
from django.urls import reverse

from demo.portfolio import load_demo
from workstreams import services
from workstreams.models import Workstream
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


def changes_url(programme):
    return reverse("workstreams:changes", args=[programme.pk])


@pytest.fixture
def demo():
    return load_demo(password="x" * 16)[0]


@pytest.mark.parametrize("persona", ["pmo", "lead_a", "viewer"])
def test_every_role_reads_what_changed(client, request, demo, persona):
    client.force_login(request.getfixturevalue(persona))
    html = client.get(changes_url(demo), {"since": "2022-04-14", "until": "2022-06-01"}).content.decode()
    assert "changes that took effect after 14 Apr 2022 up to and including 1 Jun 2022" in html


def test_no_role_and_anonymous_cannot_read_what_changed(client, demo, no_role):
    assert client.get(changes_url(demo)).status_code == 302
    client.force_login(no_role)
    assert client.get(changes_url(demo)).status_code == 403


def test_the_demo_review_shows_as_moves_closures_and_new_workstreams(client, viewer, demo):
    client.force_login(viewer)
    html = client.get(changes_url(demo), {"since": "2022-04-14", "until": "2022-06-01"}).content.decode()
    assert "Vulnerability (Prevention/Engagement &amp; Missing) → Public Contact &amp; Engagement" in html
    assert html.count('<tr class="change change-closed">') == 2
    assert html.count('<tr class="change change-new">') == 8  # five workstreams and three projects
    assert "Programme review" in html


def test_a_worse_status_is_listed_with_its_arrow_who_and_why(client, pmo, viewer, demo):
    fcr = Workstream.objects.get(name="Force Control Room")
    red = demo.dimensions.get(code="overall").scale.levels.get(code="RED")
    services.status_update_submit(
        subject=fcr,
        as_of=date(2022, 6, 20),
        ratings=[RatingInput(demo.dimensions.get(code="overall"), red, "IT capacity withdrawn")],
        by=pmo,
    )
    client.force_login(viewer)
    html = client.get(
        changes_url(demo), {"since": "2022-06-01", "until": "2022-06-30", "kind": "status"}
    ).content.decode()
    row = next(r for r in html.split("<tr") if "Force Control Room" in r)
    assert "Amber</span> →" in row and "Red</span>" in row
    assert '<span aria-hidden="true">▼</span> worse' in row
    assert pmo.get_full_name() in row and "IT capacity withdrawn" in row
    assert "1 change that took effect after" in html


def test_a_better_status_is_listed_as_better(client, pmo, viewer, demo):
    rm = Workstream.objects.get(name="Resource Management")
    overall = demo.dimensions.get(code="overall")
    services.status_update_submit(
        subject=rm,
        as_of=date(2022, 7, 1),
        ratings=[RatingInput(overall, overall.scale.levels.get(code="AMBER"), "HR post funded")],
        by=pmo,
    )
    client.force_login(viewer)
    html = client.get(changes_url(demo), {"since": "2022-06-15", "until": "2022-07-31"}).content.decode()
    assert '<span aria-hidden="true">▲</span> better' in html


def test_dates_in_the_wrong_order_are_refused_with_a_message(client, viewer, demo):
    client.force_login(viewer)
    html = client.get(changes_url(demo), {"since": "2022-06-01", "until": "2022-04-14"}).content.decode()
    assert "The start must be before the end." in html


# What a change was, as `workstreams/includes/change_what.html` wrote it before it was written in Python.
TEMPLATE_WHAT = """{% load changeprog %}{% if change.kind == "status" %}<span class="fw-semibold">{{ change.summary }}:</span>
{% if change.old_level %}{{ change.old_level|status_badge }} →{% else %}first rating{% endif %}
{{ change.new_level|status_badge }}
{% if change.direction == "worse" %}<span class="movement movement-worse"><span aria-hidden="true">▼</span> worse</span>{% elif change.direction == "better" %}<span class="movement movement-better"><span aria-hidden="true">▲</span> better</span>{% elif change.direction == "scale changed" %}<span class="movement movement-scale">scale changed</span>{% endif %}
{% else %}{{ change.summary|linebreaksbr }}{% endif %}{% if change.recorded_later %}<div class="small recorded-later">Recorded later, on {{ change.recorded_on|short_date }} by {{ change.recorded_by|person:"an unknown user" }}</div>{% endif %}"""  # noqa: E501


def test_what_each_kind_of_change_was_reads_as_its_template_wrote_it(pmo, demo):
    from datetime import UTC, datetime

    from django.template import engines

    from workstreams.changes import Change
    from workstreams.models import StatusLevel
    from workstreams.templatetags.change_rows import change_what

    red, amber = (StatusLevel.objects.get(scale__code="delivery", code=code) for code in ("RED", "AMBER"))
    grey = StatusLevel.objects.filter(is_rating=False).first()
    day, later = date(2022, 5, 31), datetime(2022, 6, 14, 23, 30, tzinfo=UTC)  # 15 June in UK time
    item = Workstream.objects.first()
    changes = [
        Change(day, "status", item, "Overall", old_level=amber, new_level=red, direction="worse"),
        Change(day, "status", item, "Overall", old_level=red, new_level=amber, direction="better"),
        Change(day, "status", item, "Schedule", old_level=amber, new_level=red, direction="scale changed"),
        Change(day, "status", item, "Benefits & <costs>", new_level=amber, recorded_at=later, recorded_by=pmo),
        Change(day, "status", item, "Overall", old_level=amber, new_level=grey, recorded_at=later),
        Change(day, "status", item, "Overall", old_level=None, new_level=None),
        Change(day, "rename", item, "Old & <name> → New\nsecond line", recorded_at=later, recorded_by=pmo),
        Change(day, "slip", item, "Forecast end 30 Jun 2022 → 31 Aug 2022"),
    ]
    template = engines["django"].from_string(TEMPLATE_WHAT)
    for change in changes:
        assert change_what(change) == template.render({"change": change}), change
    assert "Recorded later, on 15 Jun 2022" in change_what(changes[3])
    assert "Old &amp; &lt;name&gt; → New<br>second line" in change_what(changes[6])


def test_a_window_with_nothing_in_it_reads_only_the_window(client, viewer, demo, django_assert_num_queries):
    """Nothing took effect: the page says so, and reads no source of changes at all."""
    from workstreams.changes import changes_between

    # One query tests every source for a row in the window; two read the programme's item ids, which name its
    # workstreams' and projects' milestones.
    with django_assert_num_queries(3):
        assert changes_between(demo, date(2030, 1, 1), date(2030, 1, 31)) == []
    client.force_login(viewer)
    html = client.get(changes_url(demo), {"since": "2030-01-01", "until": "2030-01-31"}).content.decode()
    assert "Nothing changed in these dates." in html


def _every_source(programme, since, until):
    from workstreams import changes

    found = changes.status_changes(programme, since, until) + changes.structure_changes(programme, since, until)
    found += changes.review_changes(programme, since, until) + changes.milestone_changes(programme, since, until)
    return sorted(found, key=lambda c: (c.day, str(c.item)), reverse=True)


def test_reading_only_the_sources_with_something_in_the_window_loses_no_change(pmo, demo):
    """`changes_between` skips a source its first query finds empty: what it lists is what reading every source
    gives, for a window with reviews and new items, one with a single status update, and an empty one."""
    from workstreams.changes import changes_between

    fcr = Workstream.objects.get(name="Force Control Room")
    overall = demo.dimensions.get(code="overall")
    services.status_update_submit(
        subject=fcr,
        as_of=date(2022, 6, 20),
        ratings=[RatingInput(overall, overall.scale.levels.get(code="RED"), "IT capacity withdrawn")],
        by=pmo,
    )
    for since, until in [(date(2022, 4, 14), date(2022, 6, 1)), (date(2022, 6, 2), date(2022, 6, 30))]:
        expected = _every_source(demo, since, until)
        assert expected, (since, until)
        assert changes_between(demo, since, until) == expected
    only_status = changes_between(demo, date(2022, 6, 2), date(2022, 6, 30))
    assert {c.kind for c in only_status} == {"status"}
    assert changes_between(demo, date(2030, 1, 1), date(2030, 1, 31)) == _every_source(
        demo, date(2030, 1, 1), date(2030, 1, 31)
    )


def test_a_kind_asked_for_reads_only_the_source_that_gives_it(demo, django_assert_max_num_queries):
    from workstreams.changes import KINDS, SOURCES, changes_between

    assert set().union(*SOURCES.values()) == set(KINDS), "every kind of change has the source that gives it"
    since, until = date(2022, 4, 14), date(2022, 6, 1)
    everything = changes_between(demo, since, until)
    # The window test for reviews alone and the reviews themselves.
    with django_assert_max_num_queries(2):
        reviews = changes_between(demo, since, until, kinds={"review"})
    assert reviews and reviews == [c for c in everything if c.kind == "review"]
    assert changes_between(demo, since, until, kinds={"unknown"}) == []


def test_a_programme_with_no_workstreams_yet_lists_its_own_status_change_and_nothing_else(pmo):
    """The window test reads the programme's item ids; with none (a programme just set up, or imported with only
    its own status) it still finds the programme's own update, and an empty window stays empty."""
    from tests.factories import make_programme
    from workstreams.changes import changes_between

    programme = make_programme(by=pmo, code="NEW01")
    overall = programme.dimensions.get(code="overall")
    for day, code in ((date(2026, 5, 1), "GREEN"), (date(2026, 6, 1), "RED")):
        services.status_update_submit(
            subject=programme,
            as_of=day,
            ratings=[RatingInput(overall, overall.scale.levels.get(code=code), "Why")],
            by=pmo,
        )
    found = changes_between(programme, date(2026, 5, 15), date(2026, 6, 30))
    assert [(c.kind, c.direction, c.item) for c in found] == [("status", "worse", programme)]
    assert changes_between(programme, date(2030, 1, 1), date(2030, 1, 31)) == []
