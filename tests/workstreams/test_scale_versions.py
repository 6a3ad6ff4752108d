"""Status scales versioned like risk schemes: a scale in use never changes in place, a dimension moves to
another scale from an effective date, every rating keeps the level it was given, better and worse only within a
scale or through a declared mapping, and states that are not ratings stand apart."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from changeprog.governance import save_governed
from tests.factories import ON_RECORD_FROM
from workstreams import services
from workstreams.changes import changes_between
from workstreams.importer import import_tracker, template_workbook
from workstreams.models import LevelMapping, StatusLevel, StatusRating, StatusScale
from workstreams.scales import LevelIndex, count_levels
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


def overall(programme):
    return programme.dimensions.get(code="overall")


def rate(subject, day, level, by, reason="why", dimension=None):
    dimension = dimension or overall(subject if hasattr(subject, "dimensions") else subject.workstream.programme)
    return services.status_update_submit(
        subject=subject, as_of=day, ratings=[RatingInput(dimension, level, reason)], by=by
    )


@pytest.fixture
def three_point(pmo):
    scale = save_governed(StatusScale(code="three", name="Three-point"), by=pmo, reason="Set up")
    for severity, (code, label) in enumerate([("G", "Green"), ("A", "Amber"), ("R", "Red")], start=1):
        save_governed(
            StatusLevel(
                scale=scale, code=code, label=label, colour="#00703C", severity=severity, requires_reason=severity > 1
            ),
            by=pmo,
            reason="Set up",
        )
    save_governed(
        StatusLevel(
            scale=scale,
            code="NR",
            label="Not reported",
            colour="#B1B4B6",
            text_colour="#0B0C0C",
            severity=90,
            is_rating=False,
        ),
        by=pmo,
        reason="Set up",
    )
    return scale


def test_renaming_a_level_in_use_makes_a_new_version_and_old_ratings_keep_their_label(pmo, portfolio, rag):
    rag_scale = StatusScale.objects.current("rag")
    update = rate(portfolio["project_a"], date(2022, 4, 30), rag["AMBER"], pmo)
    new = services.scale_change(
        scale=rag_scale, levels={"AMBER": {"label": "Amber (at risk)", "colour": "#FFBF47"}}, by=pmo, reason="Renamed"
    )
    assert new.pk != rag_scale.pk and (new.version, new.previous, new.is_current) == (2, rag_scale, True)
    rag_scale.refresh_from_db()
    assert not rag_scale.is_current
    rating = update.ratings.get()
    assert (rating.level.label, rating.level.colour, rating.level.scale) == ("Amber", rag["AMBER"].colour, rag_scale)
    # Every dimension on the old version moved to the new one from today; each copied level maps to its source.
    assert overall(portfolio["programme"]).scale == new
    assert LevelMapping.objects.filter(from_level=rag["AMBER"], to_level__scale=new).exists()


def test_a_scale_not_yet_used_changes_in_place(pmo, three_point):
    changed = services.scale_change(scale=three_point, levels={"A": {"label": "Amber!"}}, by=pmo, reason="Typo")
    assert changed.pk == three_point.pk and three_point.levels.get(code="A").label == "Amber!"


def test_a_dimension_moves_scale_from_an_effective_date_and_ratings_before_keep_theirs(
    pmo, portfolio, rag, three_point
):
    project = portfolio["project_a"]
    rate(project, date(2020, 12, 31), rag["AMBER"], pmo)
    dimension = overall(portfolio["programme"])
    services.dimension_set_scale(
        dimension=dimension, scale=three_point, by=pmo, reason="Move", effective=date(2021, 4, 1)
    )
    dimension.refresh_from_db()
    assert dimension.scale_on(date(2021, 3, 31)).code == "rag" and dimension.scale_on(date(2021, 4, 1)) == three_point
    # After the move only the new scale's levels are accepted; before it, only the old one's.
    with pytest.raises(ValidationError, match="used on 30 Jun 2021"):
        rate(project, date(2021, 6, 30), rag["AMBER"], pmo, dimension=dimension)
    rate(project, date(2021, 6, 30), three_point.levels.get(code="A"), pmo, dimension=dimension)
    with pytest.raises(ValidationError, match="used on 31 Jan 2021"):
        rate(project, date(2021, 1, 31), three_point.levels.get(code="A"), pmo, dimension=dimension)


def test_a_move_that_would_strand_later_ratings_is_refused(pmo, portfolio, rag, three_point):
    rate(portfolio["project_a"], date(2022, 4, 30), rag["AMBER"], pmo)
    with pytest.raises(ValidationError) as caught:
        services.dimension_set_scale(
            dimension=overall(portfolio["programme"]),
            scale=three_point,
            by=pmo,
            reason="Move",
            effective=date(2021, 4, 1),
        )
    assert "1 rating of Overall dated on or after 1 Apr 2021 (the first on 30 Apr 2022) use another scale" in str(
        caught.value
    )
    assert overall(portfolio["programme"]).scale.code == "rag"


def test_an_update_from_before_a_scale_change_can_still_be_corrected(client, pmo, portfolio, rag, three_point):
    update = rate(portfolio["project_a"], date(2020, 12, 31), rag["AMBER"], pmo)
    services.dimension_set_scale(
        dimension=overall(portfolio["programme"]), scale=three_point, by=pmo, reason="Move", effective=date(2021, 4, 1)
    )
    client.force_login(pmo)
    url = reverse("workstreams:update_correct", args=[update.pk])
    page = client.get(url).content.decode()
    assert f'value="{rag["RED"].pk}"' in page and f'value="{three_point.levels.get(code="R").pk}"' not in page
    response = client.post(
        url,
        {
            "as_of": "2020-12-31",
            "rating_overall": rag["RED"].pk,
            "reason_overall": "Worse",
            "correction_reason": "Typo",
        },
    )
    assert response.status_code == 302
    assert update.ratings.get().level == rag["RED"]


def test_movement_within_a_scale_through_a_mapping_or_across_an_unmapped_change(pmo, portfolio, rag, three_point):
    project = portfolio["project_a"]
    dimension = overall(portfolio["programme"])
    rate(project, date(2020, 11, 30), rag["GREEN"], pmo, reason="")
    rate(project, date(2020, 12, 31), rag["AMBER"], pmo)
    services.dimension_set_scale(
        dimension=dimension, scale=three_point, by=pmo, reason="Move", effective=date(2021, 4, 1)
    )
    rate(project, date(2021, 4, 30), three_point.levels.get(code="A"), pmo, dimension=dimension)
    rate(project, date(2021, 5, 31), three_point.levels.get(code="NR"), pmo, dimension=dimension)
    found = {c.day: c.direction for c in changes_between(portfolio["programme"], date(2020, 1, 1), date(2021, 12, 31))}
    assert found[date(2020, 12, 31)] == "worse"
    assert found[date(2021, 4, 30)] == "scale changed"  # Amber on RAG to Amber on three-point: no mapping
    assert found[date(2021, 5, 31)] == ""  # a state that is not a rating is never better or worse
    services_mapping = LevelMapping(from_level=rag["AMBER"], to_level=three_point.levels.get(code="A"))
    save_governed(services_mapping, by=pmo, reason="Declared equivalent")
    # With the equivalence declared, RAG Amber to three-point Amber is no change at all.
    after = [
        c for c in changes_between(portfolio["programme"], date(2021, 4, 1), date(2021, 4, 30)) if c.kind == "status"
    ]
    assert after == []


def test_counts_place_older_versions_through_their_mapping_and_states_apart(pmo, portfolio, rag, three_point):
    index = LevelIndex()
    levels = list(three_point.levels.all())

    class Rated:
        def __init__(self, level):
            self.level = level

    new_amber = three_point.levels.get(code="A")
    save_governed(LevelMapping(from_level=rag["RED"], to_level=three_point.levels.get(code="R")), by=pmo, reason="x")
    index = LevelIndex()
    counts = count_levels(
        [Rated(new_amber), Rated(rag["RED"]), Rated(rag["GREEN"]), Rated(three_point.levels.get(code="NR")), None],
        levels,
        index,
    )
    assert {level.code: n for level, n in counts.levels} == {"G": 0, "A": 1, "R": 1}
    assert [(level.code, n) for level, n in counts.states] == [("NR", 1)]
    assert (counts.earlier_scale, counts.unrated, counts.total) == (1, 1, 5)


def test_the_admin_keeps_a_scale_in_use_read_only_but_its_aliases_editable(client, superuser, pmo, portfolio, rag):
    rate(portfolio["project_a"], date(2022, 4, 30), rag["AMBER"], pmo)
    rag_scale = StatusScale.objects.current("rag")
    client.force_login(superuser)
    scale_page = client.get(reverse("admin:workstreams_statusscale_change", args=[rag_scale.pk])).content.decode()
    assert 'name="name"' not in scale_page  # shown, not editable
    level_url = reverse("admin:workstreams_statuslevel_change", args=[rag["AMBER"].pk])
    response = client.post(
        level_url,
        {"aliases": "A\nAmber/Yellow", "label": "Renamed?", "change_reason": "Importing the old tracker"},
    )
    assert response.status_code == 302
    amber = StatusLevel.objects.get(pk=rag["AMBER"].pk)
    assert (amber.label, amber.aliases) == ("Amber", "A\nAmber/Yellow")
    add = client.post(
        reverse("admin:workstreams_statuslevel_add"),
        {"scale": rag_scale.pk, "code": "B", "label": "Blue", "colour": "#1D70B8", "text_colour": "#FFFFFF",
         "severity": 0, "is_rating": "on", "change_reason": "Complete"},
    )  # fmt: skip
    assert add.status_code == 200 and "add the level to a new version" in add.content.decode()
    assert not StatusLevel.objects.filter(code="B").exists()


def test_the_admins_new_version_action_moves_dimensions_to_the_copy(client, superuser, portfolio):
    client.force_login(superuser)
    rag_scale = StatusScale.objects.current("rag")
    client.post(
        reverse("admin:workstreams_statusscale_changelist"),
        {"action": "make_new_version", "_selected_action": [rag_scale.pk]},
    )
    new = StatusScale.objects.current("rag")
    assert new.version == 2 and overall(portfolio["programme"]).scale == new


def test_the_admin_changes_a_dimensions_scale_only_from_a_date_its_ratings_allow(
    client, superuser, pmo, portfolio, rag, three_point
):
    rate(portfolio["project_a"], date(2022, 4, 30), rag["AMBER"], pmo)
    dimension = overall(portfolio["programme"])
    client.force_login(superuser)
    url = reverse("admin:workstreams_statusdimension_change", args=[dimension.pk])
    data = {
        "programme": portfolio["programme"].pk, "code": "overall", "name": "Overall", "scale": three_point.pk,
        "order": dimension.order, "applies_to_programme": "on", "applies_to_workstreams": "on",
        "applies_to_projects": "on", "change_reason": "New scale",
    }  # fmt: skip
    refused = client.post(url, {**data, "scale_effective_from": "2022-01-01"})
    assert refused.status_code == 200 and "use another scale" in refused.content.decode()
    assert client.post(url, {**data, "scale_effective_from": "2022-05-01"}).status_code == 302
    dimension.refresh_from_db()
    assert dimension.scale == three_point and dimension.scale_on(date(2022, 4, 30)).code == "rag"


def test_a_row_with_a_reason_and_no_level_imports_as_not_reported_where_the_dimension_allows(pmo, three_point):
    default = StatusScale.objects.current("rag")
    not_reported = save_governed(
        StatusLevel(
            scale=default,
            code="NR",
            label="Not reported",
            colour="#B1B4B6",
            text_colour="#0B0C0C",
            severity=90,
            is_rating=False,
        ),
        by=pmo,
        reason="A state",
    )

    def workbook(with_reason: bool) -> bytes:
        book = load_workbook(io.BytesIO(template_workbook()))
        book["Programmes"].append(["NRP", "Not-reported programme", "", ON_RECORD_FROM])
        book["Updates"].append(
            ["NRP", "", "", date(2022, 3, 31), "Overall", "", "Lead on leave" if with_reason else ""]
        )
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    refused = import_tracker(SimpleUploadedFile("a.xlsx", workbook(True)), by=pmo, source="a.xlsx")
    assert [str(p) for p in refused.problems] == ["Updates, row 2, column F (Level): Give a level."]
    from workstreams.models import StatusDimension

    default_overall = StatusDimension.objects.get(programme__isnull=True, code="overall")
    default_overall.not_reported_level = not_reported
    services.status_dimension_save(dimension=default_overall, by=pmo, reason="Trackers leave some rows blank")
    without = import_tracker(SimpleUploadedFile("b.xlsx", workbook(False)), by=pmo, source="b.xlsx")
    assert [p.message for p in without.problems] == [
        "Give a level (Overall takes a row with a reason or narrative and no level as Not reported)."
    ]
    done = import_tracker(SimpleUploadedFile("c.xlsx", workbook(True)), by=pmo, source="c.xlsx")
    assert done.ok, done.problems
    rating = StatusRating.objects.get()
    assert (rating.level, rating.reason) == (not_reported, "Lead on leave")


def test_a_scales_levels_read_from_the_index_are_the_levels_read_on_their_own(portfolio, pmo, three_point):
    """The board and the dashboard take the headline scale's levels from the index they read anyway: the same
    levels in the same order as reading them alone, for every scale and version."""
    from workstreams.selectors import levels_of

    rag = StatusScale.objects.get(code="rag")
    services.scale_new_version(scale=rag, by=pmo, reason="Second version")
    index = LevelIndex()
    for dimension in portfolio["programme"].dimensions.all():
        assert levels_of(dimension, index) == levels_of(dimension)
    for scale in StatusScale.objects.all():
        from_index = index.of_scale(scale.pk)
        assert from_index == list(StatusLevel.objects.filter(scale=scale)) and from_index, scale
        assert [lv.severity for lv in from_index] == sorted(lv.severity for lv in from_index)
