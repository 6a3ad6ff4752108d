"""Status levels and risk bands are readable: their text keeps at least 4.5:1 against their colour (WCAG 2.2
AA), in the shipped data and in whatever an administrator enters."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from changeprog.colours import contrast_ratio
from risks.models import RiskBand
from workstreams.models import StatusLevel, StatusScale

pytestmark = pytest.mark.django_db


def test_the_ratio_matches_wcag_for_known_pairs():
    assert round(contrast_ratio("#000000", "#FFFFFF"), 1) == 21.0
    assert round(contrast_ratio("#FFFFFF", "#FFFFFF"), 1) == 1.0
    assert round(contrast_ratio("#FFDD00", "#FFFFFF"), 2) == 1.35


def test_every_shipped_level_and_band_is_readable():
    for item in [*StatusLevel.objects.all(), *RiskBand.objects.all()]:
        assert contrast_ratio(item.colour, item.text_colour) >= 4.5, item


def test_white_text_on_a_yellow_level_is_refused_with_what_would_do():
    level = StatusLevel(
        scale=StatusScale.objects.current("rag"), code="Y", label="Yellow", colour="#FFDD00",
        text_colour="#FFFFFF", severity=9,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        level.full_clean()
    [message] = refused.value.message_dict["text_colour"]
    assert "1.35:1" in message and "#0B0C0C (near-black)" in message


def test_a_risk_band_is_held_to_the_same_rule():
    band = RiskBand.objects.first()
    band.text_colour = band.colour
    with pytest.raises(ValidationError, match="needs at least 4.5:1"):
        band.full_clean()


def test_the_admin_refuses_an_unreadable_level_and_saves_nothing(client, superuser):
    scale = StatusScale.objects.create(code="new", name="New scale")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:workstreams_statuslevel_add"),
        {"scale": scale.pk, "code": "Y", "label": "Yellow", "colour": "#FFDD00", "text_colour": "#FFFFFF",
         "severity": 1, "is_rating": "on", "change_reason": "New scale"},
    )  # fmt: skip
    assert response.status_code == 200 and "needs at least 4.5:1" in response.content.decode()
    assert not StatusLevel.objects.filter(scale=scale).exists()
