"""The benchmark's scale check compares each page's lower median of alternating rounds at the two sizes: a spell
of noise in one round does not fail a page, and a page that grows at five times the size fails in every round."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import bench  # noqa: E402  # the script under test


def _round(**medians):
    return {
        "pages": {name: {"median_ms": ms, "queries": 9} for name, ms in medians.items()},
        "publish_ms": 1000.0,
    }


def test_each_page_keeps_its_round_with_the_lower_median_and_every_rounds_median_is_kept():
    combined = bench.lowest_round([_round(board=40.0, dashboard=90.0), _round(board=55.0, dashboard=70.0)])
    assert combined["pages"]["board"]["median_ms"] == 40.0
    assert combined["pages"]["dashboard"]["median_ms"] == 70.0
    assert combined["pages"]["dashboard"]["round_medians_ms"] == [90.0, 70.0]
    assert combined["rounds"] == 2 and combined["publish_ms"] == 1000.0


def test_a_noisy_round_at_five_times_the_size_does_not_fail_a_page_that_stays_flat():
    large = bench.lowest_round([_round(board=40.0), _round(board=41.0)])
    xlarge = bench.lowest_round([_round(board=60.0), _round(board=43.0)])  # the first round ran in a busy spell
    assert bench.check_scale(large, xlarge) == []


def test_a_page_that_grows_with_the_data_fails_the_scale_check_in_every_round():
    large = bench.lowest_round([_round(board=40.0), _round(board=42.0)])
    xlarge = bench.lowest_round([_round(board=70.0), _round(board=66.0)])
    (miss,) = bench.check_scale(large, xlarge)
    assert "board" in miss and "1.65 ×" in miss
