import django_tables2 as tables
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from changeprog.effective import day_text
from changeprog.links import link
from changeprog.people import person_name
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


def ranked_rows(ranked, *, can_edit: bool) -> SafeString:
    """The ranking's rows, written in Python: a programme ranks hundreds of projects, and the template language
    spent more on the rows than the ranking took to work out. The same HTML as the rows were written in the page's
    template (`tests/risks/test_prioritisation.py` compares them)."""
    return format_html_join("", "{}", ((_ranked_row(row, can_edit),) for row in ranked))


def _ranked_row(row, can_edit: bool) -> SafeString:
    priority, project, assessment = row.priority, row.project, row.assessment
    mandatory = mark_safe(' <span class="badge text-bg-dark">Mandatory</span>') if priority.mandatory else ""  # noqa: S308  # nosec B308 B703 - a constant
    drivers = (
        format_html('<div class="small">Driven by: {}</div>', ", ".join(priority.drivers)) if priority.drivers else ""
    )
    peak_band = format_html(' <span class="small">({})</span>', priority.peak_band.label) if priority.peak_band else ""
    movement = row.movement
    if movement == "new":
        moved = "First assessment"
    elif movement == "same":
        moved = format_html("No change ({})", row.previous.label)
    else:
        arrow = "▲" if movement == "up" else "▼"
        moved = format_html('<span aria-hidden="true">{}</span> {} from {}', arrow, movement, row.previous.label)
    reassess = (
        format_html(
            '<br><a href="{}">Re-assess<span class="visually-hidden"> {}</span></a>',
            link("risks:assess", project.pk),
            project.name,
        )
        if can_edit
        else ""
    )
    return format_html(
        '\n    <tr class="ranked ranked-{band}">\n      <td>{rank}</td>\n      <th scope="row"><a href="{url}">{name}</a>'
        '<div class="small fw-normal text-body-secondary">{workstream}</div></th>\n      <td><span class="priority '
        'priority-{band}">{label}</span>{mandatory}</td>\n      <td>{rule}{drivers}</td>\n      <td>{peak}{peak_band}'
        '</td>\n      <td>{breadth}</td>\n      <td>{weighted}</td>\n      <td>{moved}</td>\n      <td class="small">'
        "{assessed_on}<br>{assessed_by}{reassess}</td>\n    </tr>\n  ",
        band=priority.band,
        rank=localize(row.rank),
        url=project.get_absolute_url(),
        name=project.name,
        workstream=project.workstream.name,
        label=priority.label,
        mandatory=mandatory,
        rule=priority.rule,
        drivers=drivers,
        peak=localize(priority.peak),
        peak_band=peak_band,
        breadth=localize(priority.breadth),
        weighted=priority.weighted_display,
        moved=moved,
        assessed_on=day_text(assessment.assessed_on) if assessment.assessed_on else "",
        assessed_by=person_name(assessment.assessed_by) if assessment.assessed_by else "",
        reassess=reassess,
    )
