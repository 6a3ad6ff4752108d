"""Money by UK financial year (`finance.years`): each item's approved budget, actuals and forecast per month,
capital and revenue apart, and each programme's tolerance for the variance. Every figure is governed like the
rest of the portfolio: saved through a service with who and why, in its history, as at any date."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from changeprog.effective import EffectiveDated
from finance.years import FinancialYear
from workstreams.models import Programme, Project, Workstream, subject_constraints

MONEY = {"max_digits": 14, "decimal_places": 2}


class MoneyKind(models.TextChoices):
    CAPITAL = "capital", "Capital"
    REVENUE = "revenue", "Revenue"


class FinanceLine(models.Model):
    """One item's money for one month and kind: the approved budget for the month, what was spent (actual) and
    what is expected (forecast). A month's forecast outturn is its actual once recorded, else its forecast."""

    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="finance_lines"
    )
    workstream = models.ForeignKey(
        Workstream, null=True, blank=True, on_delete=models.PROTECT, related_name="finance_lines"
    )
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="finance_lines")
    month = models.DateField(help_text="The first day of the month.")
    kind = models.CharField(max_length=8, choices=MoneyKind.choices)
    budget = models.DecimalField(
        **MONEY, null=True, blank=True, validators=[MinValueValidator(0, "A budget cannot be negative.")]
    )
    actual = models.DecimalField(**MONEY, null=True, blank=True, help_text="Spent; negative for a credit.")
    forecast = models.DecimalField(**MONEY, null=True, blank=True)

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["month", "kind"]
        constraints = [
            *subject_constraints(
                "finance_line",
                ["month", "kind"],
                one="A finance line belongs to one programme, workstream or project.",
                unique="This item already has a line for that month and kind.",
                unique_name="finance_line_one_per_{subject}_month_kind",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="finance_line_budget_not_negative",
                violation_error_message="A budget cannot be negative.",
            ),
        ]
        indexes = [models.Index(fields=["month"], name="finance_line_month")]

    def __str__(self):
        return f"{self.subject} {self.month:%b %Y} {self.get_kind_display().lower()}"

    @property
    def subject(self):
        return self.programme or self.workstream or self.project

    @property
    def year(self) -> FinancialYear:
        return FinancialYear.of(self.month)

    @property
    def outturn(self):
        return self.actual if self.actual is not None else self.forecast

    def clean(self):
        if self.month and self.month.day != 1:
            raise ValidationError({"month": "Give the first day of the month."})


class Tolerance(models.Model):
    """How far a programme's forecast may go over its budget in a year before it is outside tolerance: a
    percentage of the budget, an amount, or both (then whichever is larger)."""

    programme = models.OneToOneField(Programme, on_delete=models.PROTECT, related_name="finance_tolerance")
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Per cent of the year's budget, e.g. 5.",
    )
    amount = models.DecimalField(**MONEY, null=True, blank=True, validators=[MinValueValidator(0)])

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["programme"]

    def __str__(self):
        return f"Finance tolerance of {self.programme}"

    def clean(self):
        if self.percent is None and self.amount is None:
            raise ValidationError("Give a percentage, an amount or both.")

    def allowance(self, budget):
        """The overspend allowed on `budget`, to the penny (half a penny up)."""
        from decimal import ROUND_HALF_UP, Decimal

        by_share = (budget or Decimal(0)) * self.percent / 100 if self.percent is not None else Decimal(0)
        return max(by_share, self.amount or Decimal(0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
