"""Filters for the API's lists (django-filter, as the pages use)."""

import django_filters
from django.db.models import Q

from changeprog.custom_fields import CustomFilterSet
from workstreams.models import Lifecycle


class ItemFilter(CustomFilterSet, django_filters.FilterSet):
    lifecycle = django_filters.ChoiceFilter(choices=Lifecycle.choices)


class ProgrammeFilter(ItemFilter):
    code = django_filters.CharFilter()
    portfolio = django_filters.NumberFilter(field_name="portfolio_id")


class WorkstreamFilter(ItemFilter):
    programme = django_filters.NumberFilter(field_name="programme_id")


class ProjectFilter(ItemFilter):
    programme = django_filters.NumberFilter(field_name="workstream__programme_id")
    workstream = django_filters.NumberFilter(field_name="workstream_id")


class StatusUpdateFilter(django_filters.FilterSet):
    programme = django_filters.NumberFilter(method="in_programme", label="Programme id: its own and its items'")
    subject = django_filters.ChoiceFilter(
        choices=[("programme", "programme"), ("workstream", "workstream"), ("project", "project")], method="of_kind"
    )
    as_of_from = django_filters.DateFilter(field_name="as_of", lookup_expr="gte")
    as_of_to = django_filters.DateFilter(field_name="as_of", lookup_expr="lte")

    def in_programme(self, queryset, name, value):
        return queryset.filter(
            Q(programme_id=value) | Q(workstream__programme_id=value) | Q(project__workstream__programme_id=value)
        )

    def of_kind(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False})


class RiskFilter(CustomFilterSet, django_filters.FilterSet):
    register = django_filters.CharFilter(field_name="register__code")
    status = django_filters.CharFilter()
    project = django_filters.NumberFilter(field_name="project_id")
    workstream = django_filters.NumberFilter(field_name="workstream_id")


class BenefitFilter(CustomFilterSet, django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id")
    workstream = django_filters.NumberFilter(field_name="workstream_id")
