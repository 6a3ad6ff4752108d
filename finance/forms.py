"""The entry grid of an item's money for a year, the year and as-at choice, and a programme's tolerance."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator

from changeprog.forms import BaseForm
from finance.models import MONEY, MoneyKind
from finance.services import VALUES
from finance.years import FinancialYear

VALUE_WORDS = {"budget": "budget", "actual": "actual", "forecast": "forecast"}


def cell_name(month, kind: str, value: str) -> str:
    return f"{kind}_{value}_{month:%Y_%m}"


class FinanceGridForm(BaseForm):
    """A field per month, kind and value (budget, actual, forecast), empty for none; money to the penny, no
    words, no negative budget; the reason is kept with every line it changes."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label="Reason for these figures",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the history of every figure it changes, with your name and the time.",
    )

    def __init__(self, *args, year: FinancialYear, lines: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.rows = []
        for month in year.months():
            cells = []
            for kind, kind_label in MoneyKind.choices:
                line = lines.get((month, kind))
                for value in VALUES:
                    name = cell_name(month, kind, value)
                    self.fields[name] = forms.DecimalField(
                        label=f"{kind_label} {VALUE_WORDS[value]}, {month:%B %Y}",
                        required=False,
                        max_digits=MONEY["max_digits"],
                        decimal_places=MONEY["decimal_places"],
                        validators=[MinValueValidator(Decimal(0), "A budget cannot be negative.")]
                        if value == "budget"
                        else [],
                        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control form-control-sm"}),
                    )
                    if line is not None and getattr(line, value) is not None:
                        self.initial.setdefault(name, getattr(line, value))
                    cells.append(name)
            self.rows.append((month, [self[name] for name in cells]))

    def clean(self):
        cleaned = super().clean()
        for name in list(self.fields):
            raw = self.data.get(name, "") if self.is_bound else ""
            if isinstance(raw, str) and raw.strip().startswith("£"):
                self.add_error(name, "Give the number without the £ sign.")
        return cleaned

    def values(self) -> dict:
        """{(month, kind): {value: Decimal or None}} for the service."""
        found = {}
        for month in self.year.months():
            for kind in MoneyKind.values:
                found[(month, kind)] = {v: self.cleaned_data.get(cell_name(month, kind, v)) for v in VALUES}
        return found


class YearForm(BaseForm):
    year = forms.CharField(label="Financial year", required=False, help_text="e.g. 2026/27")

    def clean_year(self):
        text = self.cleaned_data["year"]
        if not text:
            return None
        try:
            return FinancialYear.parse(text)
        except ValueError as error:
            raise ValidationError(str(error)) from error


class ToleranceForm(BaseForm):
    percent = forms.DecimalField(
        label="Percentage of the year's budget",
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=0,
        help_text="e.g. 5 for 5%.",
    )
    amount = forms.DecimalField(
        label="Amount (£)", required=False, max_digits=MONEY["max_digits"], decimal_places=2, min_value=0
    )
    reason = forms.CharField(label="Reason for this change", widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("percent") is None and cleaned.get("amount") is None and not self.errors:
            raise ValidationError("Give a percentage, an amount or both.")
        return cleaned
