"""The demo programme's money and milestones. The committee paper publishes no figures: it rates Funding Red for
"the scale of change required against affordability" and names dates. The budgets, actuals and forecasts here
are ILLUSTRATIVE (invented to show the pages, said so in their reasons and in docs/demo-data.md); the milestones
are the dates the paper names (4.9, 4.11, 5.2, 5.5, 5.12)."""

from datetime import date
from decimal import Decimal

from demo.portfolio import (
    CHANGE_BOARD,
    COMMITTEE_REPORT,
    FCR_COMPLETION,
    FCR_PROJECT_CLOSURE,
    IOM_CLOSURE,
    PROGRAMME_AGREED,
    RESOURCE_DESIGN_COMPLETION,
    at,
)
from finance import services as finance_services
from finance.models import FinanceLine
from finance.years import FinancialYear
from workstreams import services
from workstreams.models import Milestone

ILLUSTRATIVE = "Illustrative figures for the demo (the paper publishes none)"
# The Programme Business Case goes to the Executive "during July" (4.11): the end of the month.
BUSINESS_CASE_TO_EXECUTIVE = date(2022, 7, 31)
# The FCR technology was first due by the end of the 2021/22 financial year before its timescales were readjusted
# (5.2 says they were; the first date is not given, so the year end).
FCR_FIRST_PLAN = date(2022, 3, 31)


def _spread(year: FinancialYear, months: int, monthly: dict, *, first=None) -> dict:
    start = year.months().index(first) if first else 0
    return {
        (month, kind): values for month in year.months()[start : start + months] for kind, values in monthly.items()
    }


def load_finance_demo(programme, users) -> bool:
    """Illustrative budgets, actuals and forecasts for 2021/22 and 2022/23 (a forecast over budget and outside a 5%
    tolerance, as the Funding Red implies), the programme's tolerance, and the paper's milestones. Once only."""
    if FinanceLine.objects.filter(programme=programme).exists():
        return False
    pmo = users["pmo"]
    ws = {w.name: w for w in programme.workstreams.all()}
    agreed = at(PROGRAMME_AGREED)
    finance_services.tolerance_set(
        programme=programme, percent=Decimal(5), amount=Decimal(25000), by=pmo, reason=ILLUSTRATIVE, when=agreed
    )
    first, second = FinancialYear(2021), FinancialYear(2022)
    # The programme team: revenue from August 2021, on budget in 2021/22.
    team = {"revenue": {"budget": Decimal(22000), "actual": Decimal(21500)}}
    finance_services.finance_year_save(
        subject=programme, year=first, values=_spread(first, 8, team, first=date(2021, 8, 1)), by=pmo,
        reason=ILLUSTRATIVE, when=at(date(2022, 4, 5)),
    )  # fmt: skip
    # 2022/23: actuals for April and May, forecasts after; the control room technology costs more than budgeted.
    spent = {"revenue": {"budget": Decimal(24000), "actual": Decimal(26000)}}
    ahead = {"revenue": {"budget": Decimal(24000), "forecast": Decimal(27000)}}
    values = _spread(second, 2, spent) | _spread(second, 10, ahead, first=date(2022, 6, 1))
    finance_services.finance_year_save(
        subject=programme, year=second, values=values, by=pmo, reason=ILLUSTRATIVE, when=at(COMMITTEE_REPORT)
    )
    fcr = ws.get("Force Control Room")
    if fcr is not None:
        capital = {(date(2022, m, 1), "capital"): v for m, v in (
            (4, {"budget": Decimal(60000), "actual": Decimal(74000)}),
            (5, {"budget": Decimal(60000), "actual": Decimal(81000)}),
            (6, {"budget": Decimal(40000), "forecast": Decimal(65000)}),
            (7, {"budget": Decimal(20000), "forecast": Decimal(30000)}),
        )}  # fmt: skip
        finance_services.finance_year_save(
            subject=fcr, year=second, values=capital, by=pmo, reason=ILLUSTRATIVE, when=at(COMMITTEE_REPORT)
        )
    milestones = [
        (programme, "Programme Business Case to the Executive", BUSINESS_CASE_TO_EXECUTIVE, None, True, COMMITTEE_REPORT),
        (fcr, "FCR technology requirements implemented", FCR_FIRST_PLAN, FCR_COMPLETION, True, CHANGE_BOARD),
        (fcr, "FCR project closed", FCR_PROJECT_CLOSURE, None, True, CHANGE_BOARD),
        (ws.get("Integrated Offender Management"), "IOM workstream closed", IOM_CLOSURE, None, False, CHANGE_BOARD),
        (ws.get("Resource Management"), "Resource management design complete", RESOURCE_DESIGN_COMPLETION, None,
         False, COMMITTEE_REPORT),
    ]  # fmt: skip
    for subject, name, baseline, forecast, tell, known in milestones:
        if subject is None:
            continue
        kind = type(subject)._meta.model_name
        milestone = services.milestone_save(
            Milestone(**{kind: subject}, name=name, baseline_date=baseline, tell_committee=tell),
            by=pmo, reason="A date the committee paper names", when=agreed if forecast else at(known),
        )  # fmt: skip
        if forecast:
            milestone.forecast_date = forecast
            services.milestone_save(
                milestone, by=pmo, reason="Timescales readjusted: competing demands within the IT team (5.2)",
                when=at(known),
            )  # fmt: skip
    return True
