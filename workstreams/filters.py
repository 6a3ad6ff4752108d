"""Filters for the portfolio lists (django-filter)."""

import django_filters
from django.db.models import F, Q

from changeprog import vocabulary
from changeprog.custom_fields import CustomFilterSet
from changeprog.people import PersonFilter
from workstreams.models import Lifecycle, Programme, Project, Stage, Workstream


class SearchMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The lifecycle's states in the organisation's words (`changeprog.vocabulary`).
        self.filters["lifecycle"].extra["choices"] = vocabulary.lifecycle_choices(Lifecycle.choices)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class ProjectFilter(CustomFilterSet, SearchMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    programme = django_filters.ModelChoiceFilter(
        label="Programme", field_name="workstream__programme", queryset=Programme.objects.all(), empty_label="Any"
    )
    workstream = django_filters.ModelChoiceFilter(queryset=Workstream.objects.all(), empty_label="Any")
    lifecycle = django_filters.ChoiceFilter(choices=Lifecycle.choices, empty_label="Any")
    stage = django_filters.ModelChoiceFilter(queryset=Stage.objects.all(), empty_label="Any")
    manager = PersonFilter(holders=(Project, "manager"))
    national = django_filters.BooleanFilter(label="Through a national programme")
    slipped = django_filters.BooleanFilter(label="Forecast past baseline", method="filter_slipped")

    class Meta:
        model = Project
        fields = ["q", "programme", "workstream", "lifecycle", "stage", "manager", "national", "slipped"]

    def filter_slipped(self, queryset, name, value):
        slipped = Q(forecast_end_date__gt=F("baseline_end_date"))
        return queryset.filter(slipped) if value else queryset.exclude(slipped)


class WorkstreamFilter(CustomFilterSet, SearchMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.all(), empty_label="Any")
    lifecycle = django_filters.ChoiceFilter(choices=Lifecycle.choices, empty_label="Any")
    stage = django_filters.ModelChoiceFilter(queryset=Stage.objects.all(), empty_label="Any")
    lead = PersonFilter(holders=(Workstream, "lead"))
    national = django_filters.BooleanFilter(label="Through a national programme")

    class Meta:
        model = Workstream
        fields = ["q", "programme", "lifecycle", "stage", "lead", "national"]
