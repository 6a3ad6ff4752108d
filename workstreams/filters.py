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
    workstream = django_filters.ModelChoiceFilter(
        queryset=lambda request: ProjectFilter.workstreams_offered(request),
        empty_label="Any (choose a programme first)",
        help_text="The chosen programme's workstreams.",
    )
    lifecycle = django_filters.ChoiceFilter(choices=Lifecycle.choices, empty_label="Any")
    stage = django_filters.ModelChoiceFilter(queryset=Stage.objects.all(), empty_label="Any")
    manager = PersonFilter(holders=(Project, "manager"))
    national = django_filters.BooleanFilter(label="Through a national programme")
    slipped = django_filters.BooleanFilter(label="Forecast past baseline", method="filter_slipped")

    class Meta:
        model = Project
        fields = ["q", "programme", "workstream", "lifecycle", "stage", "manager", "national", "slipped"]

    @staticmethod
    def workstreams_offered(request):
        """The workstreams the filter offers: the chosen programme's (a select of every workstream in the
        organisation would grow with it), and the one already chosen, so a link to a workstream's projects works."""
        params = request.GET if request is not None else {}
        chosen = Q()
        for name, field in (("programme", "programme_id"), ("workstream", "pk")):
            value = params.get(name, "")
            if value.isascii() and value.isdigit() and len(value) <= 18:  # anything else is no record's id
                chosen |= Q(**{field: int(value)})
        if not chosen:
            return Workstream.objects.none()
        return Workstream.objects.filter(chosen).order_by("name")

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
