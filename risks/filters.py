"""Filters for the risk register (django-filter), on the annotated rows of `selectors.register_rows`."""

import django_filters

from changeprog.custom_fields import CustomFilterSet
from changeprog.people import PersonFilter
from risks.models import SCORE_CHOICES, Register, Risk, RiskBand, RiskCategory, RiskStatus
from risks.pickers import RegisterField

FLAGS = {
    "outside-appetite": ("Outside appetite", "outside_appetite"),
    "review-overdue": ("Review overdue", "review_overdue"),
    "action-overdue": ("Action overdue", "action_overdue"),
}


class RegisterFilter(django_filters.ModelChoiceFilter):
    """A register, typed into a searchable picker (an organisation may keep one per project)."""

    field_class = RegisterField


class RiskFilter(CustomFilterSet, django_filters.FilterSet):
    """Filters a queryset of annotated risks; declared filters only, so no Meta model is needed."""

    register = RegisterFilter(queryset=Register.objects.all(), label="Register")
    category = django_filters.ChoiceFilter(field_name="category__code", label="Category", empty_label="Any")
    band = django_filters.ChoiceFilter(field_name="band_code", label="Current band", empty_label="Any")
    owner = PersonFilter(holders=(Risk, "owner"))
    flag = django_filters.ChoiceFilter(
        label="Flag", choices=[(k, v[0]) for k, v in FLAGS.items()], method="filter_flag", empty_label="Any"
    )
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices, empty_label="Any")
    likelihood = django_filters.NumberFilter(method="filter_cell", label="Likelihood")
    impact = django_filters.NumberFilter(method="filter_cell", label="Impact")
    which = django_filters.ChoiceFilter(
        method="filter_cell",
        label="Score",
        choices=SCORE_CHOICES,
        empty_label="Current",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = RiskCategory.objects.filter(scheme__is_current=True)
        self.filters["category"].extra["choices"] = [(c.code, c.name) for c in current]
        bands = RiskBand.objects.filter(scheme__is_current=True)
        self.filters["band"].extra["choices"] = [(b.code, b.name) for b in bands]

    def filter_flag(self, queryset, name, value):
        return queryset.filter(**{FLAGS[value][1]: True})

    def filter_cell(self, queryset, name, value):
        """A heat-map cell: the likelihood and impact of the chosen score (current unless `which` says otherwise)."""
        if name == "which":
            return queryset  # read by the likelihood and impact filters
        which = self.form.cleaned_data.get("which") or "current"
        return queryset.filter(**{f"{which}_{name}": value})
