"""Another organisation's scales and dimensions work from data alone, with no code change."""

from datetime import date

import pytest

from tests.conftest import has_badge
from tests.factories import ON_RECORD_FROM, make_programme
from workstreams import services
from workstreams.models import StatusDimension, StatusLevel, StatusScale
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


def test_a_programme_on_the_five_point_scale_shows_amber_red_with_its_colour(client, pmo, viewer):
    programme = make_programme(by=pmo, name="Estates Transformation")
    overall = programme.dimensions.get(code="overall")
    overall.scale = StatusScale.objects.get(code="dca")
    services.status_dimension_save(
        dimension=overall, by=pmo, reason="This programme reports delivery confidence", effective=ON_RECORD_FROM
    )
    amber_red = StatusLevel.objects.get(scale__code="dca", label="Amber/Red")
    services.status_update_submit(
        subject=programme,
        as_of=date(2024, 3, 1),
        ratings=[RatingInput(overall, amber_red, "Major risks apparent in key areas")],
        by=pmo,
    )

    client.force_login(viewer)
    page = client.get(programme.get_absolute_url()).content.decode()
    assert has_badge(page, amber_red)
    assert "Major risks apparent in key areas" in page

    css = client.get("/status-levels.css").content.decode()
    assert f".level-{amber_red.pk} {{ background-color: #F47738; color: #0B0C0C; }}" in css


def test_a_scale_made_in_data_is_reported_on_like_the_shipped_ones(client, pmo, viewer):
    scale = StatusScale.objects.create(code="readiness", name="Readiness")
    exempt = StatusLevel.objects.create(
        scale=scale, code="EX", label="Exempt", colour="#4C2C92", text_colour="#FFFFFF", severity=1
    )
    programme = make_programme(by=pmo)
    readiness = services.status_dimension_save(
        dimension=StatusDimension(programme=programme, code="readiness", name="Readiness", scale=scale, order=9),
        by=pmo,
        reason="Added for the go-live gate",
    )
    services.status_update_submit(
        subject=programme, as_of=date(2024, 3, 1), ratings=[RatingInput(readiness, exempt)], by=pmo
    )
    client.force_login(viewer)
    page = client.get(programme.get_absolute_url()).content.decode()
    assert has_badge(page, exempt)


@pytest.mark.parametrize(
    ("scale", "labels"),
    [
        ("rag", ["Green", "Amber", "Red"]),
        ("delivery", ["Green", "Grey", "Yellow", "Purple", "Amber", "Red"]),
        ("dca", ["Green", "Amber/Green", "Amber", "Amber/Red", "Red"]),
        ("brag", ["Blue", "Green", "Amber", "Red"]),
    ],
)
def test_the_shipped_scales_are_in_severity_order(scale, labels):
    assert list(StatusLevel.objects.filter(scale__code=scale).values_list("label", flat=True)) == labels


def test_every_shipped_level_has_a_definition_and_the_worse_levels_need_a_reason():
    levels = StatusLevel.objects.all()
    assert all(level.definition for level in levels)
    assert set(levels.filter(requires_reason=True).values_list("label", flat=True)) == {
        "Amber",
        "Amber/Red",
        "Red",
        "Purple",
    }
