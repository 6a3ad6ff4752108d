"""Properties of the scoring module, checked by hypothesis over many generated cases."""

import math
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from risks.models import RiskScheme
from risks.scoring import AMBER, GREEN_YELLOW, RED, Band, Category, Spec, grid_problems, prioritise

CODES = ["operational", "financial", "reputation", "legal", "people", "information", "partnership"]


def threshold_spec(thresholds=(15, 8, 4), categories=CODES, weights=None) -> Spec:
    """A spec whose grid bands each cell by score thresholds, as the shipped default does."""
    bands = [Band("red", "Red", 4), Band("amber", "Amber", 3), Band("yellow", "Yellow", 2), Band("green", "Green", 1)]
    grid = {}
    for lk in range(1, 6):
        for im in range(1, 6):
            s = lk * im
            grid[(lk, im)] = next((b for t, b in zip(thresholds, bands, strict=False) if s >= t), bands[-1])
    weights = weights or [1] * len(categories)
    return Spec(
        likelihoods=(1, 2, 3, 4, 5),
        impacts=(1, 2, 3, 4, 5),
        grid=grid,
        categories=tuple(Category(code, code.title(), w) for code, w in zip(categories, weights, strict=True)),
    )


def default_spec() -> Spec:
    scheme = RiskScheme.objects.prefetch_related(
        "likelihood_levels", "impact_levels", "bands", "cells", "categories"
    ).get(is_current=True)
    return Spec.from_scheme(scheme)


scores = st.integers(min_value=1, max_value=5)
impacts = st.fixed_dictionaries({code: st.integers(min_value=0, max_value=5) for code in CODES})


@pytest.mark.django_db
def test_the_shipped_grid_maps_every_cell_to_a_band_and_is_monotone():
    spec = default_spec()
    assert grid_problems(spec) == []
    assert len(spec.grid) == 25

    @given(scores, scores)
    def monotone(likelihood, impact):
        here = spec.grid[(likelihood, impact)].severity
        if likelihood < 5:
            assert spec.grid[(likelihood + 1, impact)].severity >= here
        if impact < 5:
            assert spec.grid[(likelihood, impact + 1)].severity >= here

    monotone()


@pytest.mark.django_db
def test_the_shipped_grid_bands_scores_as_the_defaults_say():
    spec = default_spec()
    for (likelihood, impact), band in spec.grid.items():
        s = likelihood * impact
        expected = "red" if s >= 15 else "amber" if s >= 8 else "yellow" if s >= 4 else "green"
        assert band.code == expected, (likelihood, impact)


@given(
    st.lists(st.integers(min_value=1, max_value=25), min_size=3, max_size=3, unique=True),
    scores,
    scores,
    scores,
    scores,
)
def test_any_threshold_grid_is_monotone_in_likelihood_and_impact(thresholds, lk1, lk2, im1, im2):
    spec = threshold_spec(tuple(sorted(thresholds, reverse=True)))
    low, high = (min(lk1, lk2), min(im1, im2)), (max(lk1, lk2), max(im1, im2))
    assert spec.grid[low].severity <= spec.grid[high].severity


def test_a_grid_with_a_missing_cell_is_reported():
    spec = threshold_spec()
    del spec.grid[(3, 4)]
    assert grid_problems(spec) == ["Likelihood 3 × impact 4 has no band."]


@given(impacts, scores, st.booleans())
def test_breadth_of_half_the_categories_or_more_is_always_red(values, likelihood, mandatory):
    spec = threshold_spec()
    result = prioritise(spec, impacts=values, likelihood=likelihood, mandatory=mandatory)
    if result.breadth >= math.ceil(len(CODES) / 2):
        assert result.band == RED


@given(impacts, scores, st.booleans())
def test_the_bands_follow_their_rules_and_say_why(values, likelihood, mandatory):
    spec = threshold_spec()
    result = prioritise(spec, impacts=values, likelihood=likelihood, mandatory=mandatory)
    assert result.peak == likelihood * max(values.values())
    assert result.breadth == sum(1 for v in values.values() if v >= 4)
    assert Fraction(likelihood) <= result.weighted <= likelihood + 5
    if result.peak >= 15 or (mandatory and result.peak >= 12):
        assert result.band == RED
    if result.band == GREEN_YELLOW:
        assert result.peak < 8 and result.breadth == 0
    if result.band == AMBER:
        assert result.peak >= 8 or result.breadth >= 1
    assert result.rule and (result.drivers or result.peak == 0)


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(impacts, scores, st.booleans(), st.sampled_from(["high", "medium", "low"])), min_size=2, max_size=12
    )
)
def test_ranking_is_a_total_order(cases):
    spec = threshold_spec()
    keys = [
        prioritise(spec, impacts=v, likelihood=lk, mandatory=m, confidence=c).rank_key(tiebreak=(n,))
        for n, (v, lk, m, c) in enumerate(cases)
    ]
    for a in keys:
        for b in keys:
            assert (a < b) + (b < a) + (a == b) == 1  # exactly one holds
            assert (a == b) == (a is b)  # distinct projects never tie
    ordered = sorted(keys)
    shuffled = keys[:]
    random.Random(len(keys)).shuffle(shuffled)
    assert sorted(shuffled) == ordered  # the order does not depend on input order
    bands = [k[0] for k in ordered]
    assert bands == sorted(bands)  # Red before Amber before Green/Yellow


@given(scores)
def test_weights_are_normalised_so_doubling_every_weight_changes_nothing(likelihood):
    values = dict.fromkeys(CODES, 3)
    single = prioritise(threshold_spec(weights=[1] * 7), impacts=values, likelihood=likelihood)
    double = prioritise(threshold_spec(weights=[2] * 7), impacts=values, likelihood=likelihood)
    assert single.weighted == double.weighted == likelihood + 3


def test_a_likelihood_off_the_scale_is_refused():
    with pytest.raises(ValueError, match="Likelihood 6 is not on the scale"):
        prioritise(threshold_spec(), impacts={}, likelihood=6)
