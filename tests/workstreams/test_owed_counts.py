"""The programme office's count of updates owed (`workstreams.owed.owed_by_programme`), made in SQL, agrees item
for item with the rule itself (`workstreams.rules.needs_update`, as `updates_owed` applies it), on programmes
reporting monthly, quarterly and every two weeks, on days across period boundaries."""

from collections import Counter
from datetime import date, timedelta

import pytest

from changeprog.governance import save_governed
from tests import factories
from workstreams import services
from workstreams.models import ReportingCadence, StatusLevel
from workstreams.owed import owed_by_programme, updates_owed
from workstreams.services import RatingInput


@pytest.fixture
def programmes(pmo, lead_a):
    cadences = [
        save_governed(ReportingCadence(name="Every quarter (test)", kind="quarterly"), by=pmo, reason="Set up"),
        save_governed(
            ReportingCadence(name="Every two weeks (test)", kind="weeks", every_weeks=2, anchor=date(2022, 1, 3)),
            by=pmo,
            reason="Set up",
        ),
        None,  # the organisation's default (monthly)
    ]
    green = StatusLevel.objects.get(scale__code="rag", code="GREEN")
    made = []
    for n, cadence in enumerate(cadences):
        programme = factories.make_programme(by=pmo, name=f"Programme {n}", cadence=cadence)
        for w in range(2):
            workstream = factories.make_workstream(programme, by=pmo, lead=lead_a)
            for p in range(3):
                project = factories.make_project(workstream, by=pmo)
                # Updates on a spread of days: some in each period around the days asked about, some never.
                if (n + w + p) % 4:
                    services.status_update_submit(
                        subject=project,
                        as_of=date(2022, 3, 1) + timedelta(days=17 * (n + 2 * w + 3 * p)),
                        ratings=[RatingInput(programme.dimensions.get(code="overall"), green)],
                        by=pmo,
                    )
        made.append(programme)
    return made


@pytest.mark.parametrize("today", [date(2022, 4, 1), date(2022, 5, 15), date(2022, 7, 1), date(2022, 9, 30)])
def test_the_counts_agree_with_the_rule_item_for_item(programmes, today):
    expected = Counter((o.programme.pk, o.kind) for o in updates_owed(today))
    counted = {(g.programme.pk, kind): n for g in owed_by_programme(today) for kind, n in g.counts.items() if n}
    assert counted == dict(expected)
    assert sum(counted.values()) > 0


def test_the_counts_cost_the_same_few_queries_however_many_programmes(programmes, pmo, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        owed_by_programme(date(2022, 7, 1))
    factories.make_portfolio(pmo=pmo, lead_a=pmo, lead_b=pmo)
    with django_assert_max_num_queries(6):
        owed_by_programme(date(2022, 7, 1))
