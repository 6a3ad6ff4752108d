"""A status level reads by its label as well as its colour everywhere it is shown, its definition on hover."""

import pytest
from django.template import engines

from workstreams.models import StatusLevel

pytestmark = pytest.mark.django_db


def render(level):
    return engines["django"].from_string("{% load changeprog %}{{ level|status_badge }}").render({"level": level})


def test_a_level_reads_by_its_label_with_its_colour_class_and_definition():
    level = StatusLevel.objects.filter(is_rating=True).exclude(definition="").first()
    assert render(level) == (
        f'<span class="status-badge level-{level.pk}" title="{level.definition}">{level.label}</span>'
    )


def test_an_organisations_own_words_are_escaped_and_no_level_reads_not_rated():
    level = StatusLevel(pk=7, label="Amber <at risk>", definition='Over "tolerance" & late')
    assert render(level) == (
        '<span class="status-badge level-7" title="Over &quot;tolerance&quot; &amp; late">Amber &lt;at risk&gt;</span>'
    )
    assert render(None) == '<span class="not-rated">Not rated</span>'


def test_a_status_cell_with_no_rating_reads_not_rated():
    cell = engines["django"].from_string('{% include "includes/status_cell.html" with show_reason=True %}')
    assert cell.render({"rating": None}) == '<span class="not-rated">Not rated</span>'
