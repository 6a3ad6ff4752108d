import django_tables2 as tables
from django.utils.html import format_html

from changeprog.tables import DayColumn, Table
from risks.models import Risk


class RiskTable(Table):
    reference = tables.Column(accessor="number", verbose_name="Ref", order_by=("register__code", "number"))
    title = tables.Column(linkify=True)
    category = tables.Column(accessor="category__name", verbose_name="Category")
    owner = tables.Column()
    current = tables.Column(accessor="current_score_db", verbose_name="Current", order_by=("current_score_db",))
    direction = tables.Column(accessor="pk", verbose_name="Since last review", orderable=False)
    inherent = tables.Column(accessor="inherent_score_db", verbose_name="Inherent")
    target = tables.Column(accessor="target_score_db", verbose_name="Target")
    next_review_due = DayColumn(verbose_name="Next review")
    flags = tables.Column(accessor="pk", verbose_name="Flags", orderable=False)

    class Meta:
        model = Risk
        fields = [
            "reference",
            "title",
            "category",
            "owner",
            "current",
            "direction",
            "inherent",
            "target",
            "next_review_due",
            "flags",
        ]
        sequence = fields
        attrs = {"class": "table table-sm align-middle"}
        empty_text = "No risks match these filters."

    def render_reference(self, record):
        return record.reference

    def render_owner(self, value):
        return value.get_full_name() or value.get_username()

    def render_current(self, value, record):
        return format_html(
            '{} <span class="status-badge risk-band-{}">{}</span>', value, record.band_id, record.band_name
        )

    def render_direction(self, record):
        arrows = {"worse": "▲ worse", "better": "▼ better", "same": "unchanged"}
        return arrows.get(record.direction, "—")

    def render_flags(self, record):
        flags = [
            label
            for flag, label in (
                ("outside_appetite", "Outside appetite"),
                ("review_overdue", "Review overdue"),
                ("action_overdue", "Action overdue"),
            )
            if getattr(record, flag)
        ]
        return format_html("".join('<span class="badge flag">{}</span> ' for _ in flags), *flags) if flags else "—"
