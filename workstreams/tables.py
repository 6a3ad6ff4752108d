"""Tables for the portfolio lists (django-tables2). The export uses the same columns."""

import django_tables2 as tables
from django.utils.html import format_html

from changeprog.people import person_name
from changeprog.tables import DayColumn, Table
from workstreams.models import Project, Workstream


class StatusColumn(tables.Column):
    """The headline rating of the latest update, as a badge with its label (never colour alone)."""

    def __init__(self, **kwargs):
        super().__init__(accessor="headline_label", verbose_name="Latest status", **kwargs)

    def render(self, value, record):
        return format_html('<span class="status-badge level-{}">{}</span>', record.headline_level_id, value)


class PersonColumn(tables.Column):
    def render(self, value):
        return person_name(value)


class PortfolioTable(Table):
    name = tables.Column(linkify=True)
    lifecycle = tables.Column()
    stage = tables.Column(order_by=("stage__order", "stage__name"))
    headline = StatusColumn(order_by=("headline_severity",))
    latest_as_of = DayColumn(verbose_name="Status as at")
    forecast_end_date = DayColumn(verbose_name="Forecast end")
    baseline_end_date = DayColumn(verbose_name="Baseline end")

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        empty_text = "Nothing matches these filters."


class ProjectTable(PortfolioTable):
    programme = tables.Column(accessor="workstream__programme__code", verbose_name="Programme")
    workstream = tables.Column(linkify=True)
    manager = PersonColumn(order_by=("manager__first_name", "manager__last_name"))

    class Meta(PortfolioTable.Meta):
        model = Project
        fields = [
            "name",
            "programme",
            "workstream",
            "manager",
            "lifecycle",
            "stage",
            "headline",
            "latest_as_of",
            "forecast_end_date",
            "baseline_end_date",
        ]
        sequence = fields


class WorkstreamTable(PortfolioTable):
    programme = tables.Column(accessor="programme__code", verbose_name="Programme")
    lead = PersonColumn(order_by=("lead__first_name", "lead__last_name"))
    project_count = tables.Column(verbose_name="Projects")

    class Meta(PortfolioTable.Meta):
        model = Workstream
        fields = [
            "name",
            "programme",
            "lead",
            "lifecycle",
            "stage",
            "headline",
            "project_count",
            "latest_as_of",
            "forecast_end_date",
            "baseline_end_date",
        ]
        sequence = fields
