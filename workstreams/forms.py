"""Forms for the portfolio. Validation that needs the database lives in the services; forms map its errors
back onto their fields so that every message appears next to the field it is about."""

import functools
from datetime import date, timedelta

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone

from changeprog.forms import (
    DATE_WIDGET,
    BaseForm,
    BaseModelForm,
    CustomFieldsMixin,
    ServiceValidatedModelForm,
    validate_date_in_range,
)
from changeprog.people import person_name
from workstreams.models import Milestone, PortfolioStatus, Programme, Project, Stage, StatusLevel, Workstream
from workstreams.services import EDITABLE_FIELDS, RatingInput

NARRATIVE_FIELDS = ("progress", "next_steps", "issues", "decisions_needed")


def level_options(bound_field, levels) -> list[tuple]:
    """Each level with whether it is the one chosen (as typed, or as the form starts): the field read once for
    all its levels, where a template comparing per level read the submitted data again for each."""
    value = bound_field.value()
    chosen = "" if value is None else str(value)
    return [(level, str(level.pk) == chosen) for level in levels]


class RatingFields:
    """A level per dimension (and, with `reasons`, a reason per dimension), last period's levels pre-selected:
    what the single record form and each row of the grid share."""

    def add_rating_fields(
        self,
        dimensions,
        previous,
        *,
        widget,
        levels_by_scale=None,
        reasons=True,
        name="",
        preselect=True,
        suggestions=None,
    ):
        self.dimensions = list(dimensions)
        if levels_by_scale is None:
            levels_by_scale = {}
            for level in StatusLevel.objects.filter(scale__in={d.scale_id for d in self.dimensions}):
                levels_by_scale.setdefault(level.scale_id, []).append(level)
        self.levels = {level.pk: level for d in self.dimensions for level in levels_by_scale.get(d.scale_id, [])}
        previous_ratings = {r.dimension_id: r for r in previous.ratings.all()} if previous else {}
        self.rows = []
        for dimension in self.dimensions:
            levels = levels_by_scale.get(dimension.scale_id, [])
            level_field = f"rating_{dimension.code}"
            self.fields[level_field] = forms.TypedChoiceField(
                label=f"{dimension.name} for {name}" if name else dimension.name,
                choices=[("", "Not rated")] + [(level.pk, level.label) for level in levels],
                coerce=int,
                empty_value=None,
                required=False,
                widget=widget,
            )
            before = previous_ratings.get(dimension.pk)
            suggestion = (suggestions or {}).get(dimension.pk)
            if preselect and suggestion is not None and suggestion.level.pk in {level.pk for level in levels}:
                # What the dimension's rule gives today (`status_rules`) to start from.
                self.initial.setdefault(level_field, suggestion.level.pk)
            if preselect and before is not None and before.level_id in {level.pk for level in levels}:
                # Last period's level to start from: most items move little from one period to the next.
                self.initial.setdefault(level_field, before.level_id)
            row = {
                "dimension": dimension,
                "levels": levels,
                "options": functools.partial(level_options, self[level_field], levels),
                "level_field": self[level_field],
                "previous": before,
                "suggestion": suggestion,
            }
            if reasons:
                reason_field = f"reason_{dimension.code}"
                self.fields[reason_field] = forms.CharField(
                    label=f"Reason for {dimension.name}", required=False, widget=forms.Textarea(attrs={"rows": 1})
                )
                row["reason_field"] = self[reason_field]
            self.rows.append(row)

    def ratings(self) -> list[RatingInput]:
        ratings = []
        for row in self.rows:
            code = row["dimension"].code
            level_pk = self.cleaned_data.get(f"rating_{code}")
            if level_pk is not None:
                ratings.append(
                    RatingInput(row["dimension"], self.levels[level_pk], self.cleaned_data.get(f"reason_{code}", ""))
                )
        return ratings

    def has_rating(self) -> bool:
        return any(self.cleaned_data.get(f"rating_{d.code}") is not None for d in self.dimensions)


class StatusUpdateForm(RatingFields, BaseForm):
    """One period's status for one item: a level and optional reason per dimension, and the narrative.

    `dimensions` are the item's dimensions; `previous` is its latest update, whose narrative pre-fills this one
    and whose levels are shown beside each dimension as "last period".
    """

    as_of = forms.DateField(
        label="Status as at",
        widget=DATE_WIDGET,
        help_text="The date this status describes.",
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the item stands where it does. Serves every dimension that gives no reason of its own.",
    )
    progress = forms.CharField(label="Progress this period", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(label="Next steps", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    issues = forms.CharField(label="Issues", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    decisions_needed = forms.CharField(
        label="Decisions needed", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, dimensions, previous=None, correcting=None, suggestions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.correcting = correcting
        if correcting is not None:
            self.fields["correction_reason"] = forms.CharField(
                label="Why this correction",
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="A correction edits this period's update; the history keeps what it said before.",
            )
        self.previous = previous
        self.add_rating_fields(
            dimensions, previous, widget=forms.RadioSelect, preselect=correcting is None, suggestions=suggestions
        )
        if not self.is_bound and correcting is not None:
            self.initial.update({name: getattr(correcting, name) for name in (*NARRATIVE_FIELDS, "as_of", "reason")})
            for rating in correcting.ratings.all():
                self.initial[f"rating_{rating.dimension.code}"] = rating.level_id
                self.initial[f"reason_{rating.dimension.code}"] = rating.reason
        elif not self.is_bound:
            self.initial.setdefault("as_of", timezone.localdate())
            if previous:
                for name in NARRATIVE_FIELDS:
                    self.initial.setdefault(name, getattr(previous, name))

    def clean(self):
        cleaned = super().clean()
        if not self.has_rating():
            raise ValidationError("Rate at least one dimension.")
        return cleaned


class EffectiveDateMixin:
    """An "Effective from" date for the programme office (`can_backdate`): the day a change became true, when
    it is recorded later. Others always record changes as of today."""

    def _add_effective_date(self, can_backdate: bool):
        if not can_backdate:
            return
        self.fields["effective_date"] = forms.DateField(
            label="Effective from",
            required=False,
            widget=DATE_WIDGET,
            validators=[validate_date_in_range],
            help_text="Leave empty for today. Give an earlier day if this was already true then; it is kept as "
            "recorded later, with your name and today's date.",
        )

    def clean_effective_date(self):
        day = self.cleaned_data.get("effective_date")
        if day and day > timezone.localdate():
            raise ValidationError("A change cannot take effect in the future.")
        return day


class ReasonForm(EffectiveDateMixin, BaseForm):
    # The item's history row the form was opened on; saving over a later change is refused (no lost updates).
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label="Reason for this change",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the history with your name and the time.",
    )

    def __init__(self, *args, can_backdate=False, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_effective_date(can_backdate)
        if "stage" in self.fields:
            # The stages on offer; an item keeps a stage no longer offered until it moves on.
            self.fields["stage"].queryset = Stage.objects.filter(Q(active=True) | Q(pk=self.instance.stage_id))


class CloseForm(ReasonForm):
    closed_on = forms.DateField(label="Closed on", widget=DATE_WIDGET)
    closure_note = forms.CharField(
        label="Closure note",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was delivered, and on what evidence.",
    )
    embedding_owner = forms.CharField(
        label="Embedding owner", required=False, help_text="The business owner who embeds the change now."
    )
    field_order = ["closed_on", "closure_note", "embedding_owner", "reason"]


class ReplanForm(ReasonForm):
    forecast_end_date = forms.DateField(
        label="New forecast end date",
        widget=DATE_WIDGET,
        help_text="The baseline stays as it is, so the slip remains visible.",
    )
    field_order = ["forecast_end_date", "reason"]


class MoveForm(ReasonForm):
    workstream = forms.ModelChoiceField(queryset=None, label="Move to workstream", empty_label=None)
    field_order = ["workstream", "reason"]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        # Closed workstreams stay in the list, marked, so that choosing one gets the service's clear refusal.
        field = self.fields["workstream"]
        field.queryset = Workstream.objects.filter(programme_id=project.workstream.programme_id).exclude(
            pk=project.workstream_id
        )
        field.label_from_instance = lambda ws: (
            ws.name if ws.is_open else f"{ws.name} ({ws.get_lifecycle_display().lower()})"
        )


class AsAtForm(BaseForm):
    as_at = forms.DateField(
        label="As at",
        required=False,
        widget=DATE_WIDGET,
        help_text="Show the portfolio as it stood at the end of this day.",
    )
    recorded_on = forms.DateField(
        label="As recorded on",
        required=False,
        widget=DATE_WIDGET,
        help_text="Show only what ChangeProg held at the end of this day: what a meeting then was told. "
        "Facts recorded later, even about earlier days, are left out.",
    )

    def clean_as_at(self):
        day = self.cleaned_data["as_at"]
        if day and day > timezone.localdate():
            raise ValidationError("Choose today or a day in the past.")
        return day

    def clean_recorded_on(self):
        day = self.cleaned_data["recorded_on"]
        if day and day > timezone.localdate():
            raise ValidationError("Choose today or a day in the past.")
        return day

    def moment(self) -> tuple[date | None, date | None]:
        """(as at, as recorded on) asked for; both None for today. A record date alone reads as at that day."""
        if not (self.is_bound and self.is_valid()):
            return None, None
        as_at, recorded_on = self.cleaned_data["as_at"], self.cleaned_data["recorded_on"]
        return as_at or recorded_on, recorded_on


class BoardFilterForm(BaseForm):
    """The board's filters. Choices come from what the board shows, so a stale value is simply refused."""

    workstream = forms.TypedChoiceField(label="Workstream", required=False, coerce=int, empty_value=None)
    lifecycle = forms.ChoiceField(label="Lifecycle", required=False)
    level = forms.ChoiceField(label="Level", required=False)
    owner = forms.TypedChoiceField(label="Owner", required=False, coerce=int, empty_value=None)
    flag = forms.ChoiceField(label="Needs attention", required=False)

    def __init__(self, *args, overview, levels, flags, **kwargs):
        super().__init__(*args, **kwargs)
        from workstreams.models import Lifecycle

        people = {}
        for ws in overview.workstreams:
            if ws.item.lead:
                people[ws.item.lead.pk] = ws.item.lead
            for row in ws.projects:
                if row.item.manager:
                    people[row.item.manager.pk] = row.item.manager
        self.fields["workstream"].choices = [("", "All")] + [(w.item.pk, w.item.name) for w in overview.workstreams]
        self.fields["lifecycle"].choices = [("", "Open (default)")] + list(Lifecycle.choices)
        self.fields["level"].choices = (
            [("", "All")] + [(str(lv.pk), lv.label) for lv in levels] + [("none", "Not rated")]
        )
        self.fields["owner"].choices = [("", "Anyone")] + sorted(
            ((pk, person_name(u)) for pk, u in people.items()), key=lambda c: c[1]
        )
        self.fields["flag"].choices = [("", "All")] + list(flags.items())

    def filters(self) -> dict:
        """The valid filters; a value that is not on offer is dropped (and shown as an error on the form)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class ChangesForm(BaseForm):
    since = forms.DateField(label="Changes after", required=False, widget=DATE_WIDGET)
    until = forms.DateField(label="Up to and including", required=False, widget=DATE_WIDGET)
    kind = forms.ChoiceField(label="Kind of change", required=False)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "All")] + list(kinds.items())

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        until = cleaned.get("until") or today
        since = cleaned.get("since") or (until - timedelta(days=31))
        if until > today:
            self.add_error("until", "Choose today or a day in the past.")
        if since >= until:
            self.add_error("since", "The start must be before the end.")
        cleaned["since"], cleaned["until"] = since, until
        return cleaned

    def window(self) -> tuple[date, date, str]:
        """The dates and kind asked for; the last month up to today when the request gave none or bad ones."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["since"], self.cleaned_data["until"], self.cleaned_data["kind"]
        today = timezone.localdate()
        return today - timedelta(days=31), today, ""


NEW_WORKSTREAM_SLOTS = 6


class ReviewForm(BaseForm):
    """A programme review: which workstreams close, which open, and where each project goes, with one reason.

    New workstreams are named in numbered slots, and projects can move to a slot by its number, so the whole
    restructure fits in one form that works without JavaScript.
    """

    held_on = forms.DateField(
        label="Review date",
        widget=DATE_WIDGET,
        initial=timezone.localdate,
    )
    reason = forms.CharField(
        label="Reason for the review",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded against every change the review makes.",
    )

    def __init__(self, *args, programme, workstreams, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.open_workstreams = [w for w in workstreams if w.is_open]
        self.open_projects = [p for p in projects if p.is_open]
        for ws in self.open_workstreams:
            self.fields[f"close_{ws.pk}"] = forms.BooleanField(label=f"Close {ws.name}", required=False)
            self.fields[f"note_{ws.pk}"] = forms.CharField(
                label=f"Closure note for {ws.name}", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"owner_{ws.pk}"] = forms.CharField(label=f"Embedding owner for {ws.name}", required=False)
        for slot in range(1, NEW_WORKSTREAM_SLOTS + 1):
            self.fields[f"new_{slot}"] = forms.CharField(label=f"New workstream {slot}", required=False, max_length=200)
            self.fields[f"new_{slot}_national"] = forms.BooleanField(
                label=f"New workstream {slot} is delivered through a national programme", required=False
            )
        targets = [("", "Stays where it is")]
        targets += [(f"ws-{w.pk}", w.name) for w in self.open_workstreams]
        targets += [(f"new-{slot}", f"New workstream {slot}") for slot in range(1, NEW_WORKSTREAM_SLOTS + 1)]
        for project in self.open_projects:
            self.fields[f"move_{project.pk}"] = forms.ChoiceField(
                label=f"Move {project.name}", choices=targets, required=False
            )

    def workstream_rows(self):
        return [
            (ws, self[f"close_{ws.pk}"], self[f"note_{ws.pk}"], self[f"owner_{ws.pk}"]) for ws in self.open_workstreams
        ]

    def new_rows(self):
        return [(self[f"new_{slot}"], self[f"new_{slot}_national"]) for slot in range(1, NEW_WORKSTREAM_SLOTS + 1)]

    def project_rows(self):
        return [(project, self[f"move_{project.pk}"]) for project in self.open_projects]

    def clean(self):
        from workstreams.services import Closure, NewWorkstream

        cleaned = super().clean()
        slots = {}
        for slot in range(1, NEW_WORKSTREAM_SLOTS + 1):
            name = (cleaned.get(f"new_{slot}") or "").strip()
            if name:
                slots[slot] = len(slots)
                cleaned.setdefault("open", []).append(
                    NewWorkstream(name=name, national=bool(cleaned.get(f"new_{slot}_national")))
                )
        by_pk = {w.pk: w for w in self.open_workstreams}
        moves = []
        for project in self.open_projects:
            target = cleaned.get(f"move_{project.pk}")
            if not target:
                continue
            kind, _, number = target.partition("-")
            if kind == "new":
                if int(number) not in slots:
                    self.add_error(f"move_{project.pk}", f"New workstream {number} has no name.")
                    continue
                moves.append((project, slots[int(number)]))
            elif int(number) != project.workstream_id:
                moves.append((project, by_pk[int(number)]))
        cleaned["moves"] = moves
        cleaned["close"] = [
            Closure(ws, cleaned.get(f"note_{ws.pk}", ""), cleaned.get(f"owner_{ws.pk}", ""))
            for ws in self.open_workstreams
            if cleaned.get(f"close_{ws.pk}")
        ]
        cleaned.setdefault("open", [])
        return cleaned


class GovernedModelForm(CustomFieldsMixin, EffectiveDateMixin, BaseModelForm):
    """A create or edit form for a governed record: it asks why, remembers the version it was opened on, and
    lets the programme office say from when the change is true."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label="Reason for this change",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the history with your name and the time.",
    )

    def __init__(self, *args, can_backdate=False, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_effective_date(can_backdate)
        if "stage" in self.fields:
            # The stages on offer; an item keeps a stage no longer offered until it moves on.
            self.fields["stage"].queryset = Stage.objects.filter(Q(active=True) | Q(pk=self.instance.stage_id))

    def changes(self) -> dict:
        changes = {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}
        return {**changes, **self.custom_changes()}

    def _update_errors(self, errors):
        # A model rule can name a field this form does not show (a closed-on date, say); show it at the top.
        if hasattr(errors, "error_dict"):
            by_field = dict(errors.error_dict)
            hidden = [name for name in by_field if name != NON_FIELD_ERRORS and name not in self.fields]
            for name in hidden:
                by_field.setdefault(NON_FIELD_ERRORS, []).extend(by_field.pop(name))
            errors = ValidationError(by_field)
        super()._update_errors(errors)


ITEM_WIDGETS = {
    "start_date": DATE_WIDGET,
    "baseline_end_date": DATE_WIDGET,
    "planned_closure_date": DATE_WIDGET,
    "description": forms.Textarea(attrs={"rows": 3}),
}


class ProgrammeForm(GovernedModelForm):
    class Meta:
        model = Programme
        fields = EDITABLE_FIELDS[Programme]
        widgets = ITEM_WIDGETS

    def clean_code(self):
        return self.cleaned_data["code"].upper()


class WorkstreamForm(GovernedModelForm):
    class Meta:
        model = Workstream
        fields = EDITABLE_FIELDS[Workstream]
        widgets = ITEM_WIDGETS

    def __init__(self, *args, can_assign_lead=True, **kwargs):
        super().__init__(*args, **kwargs)
        _protect_baseline(self)
        if not can_assign_lead:
            # A lead may edit their workstream but not hand it to someone else.
            del self.fields["lead"]


class ProjectForm(GovernedModelForm):
    class Meta:
        model = Project
        fields = EDITABLE_FIELDS[Project]
        widgets = ITEM_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _protect_baseline(self)


def _protect_baseline(form):
    """Once agreed, a baseline changes only through a re-plan's history, never by editing it."""
    if form.instance.pk and form.instance.baseline_end_date:
        field = form.fields["baseline_end_date"]
        field.disabled = True
        field.help_text = "Agreed baseline; use Re-plan to change the forecast."


class ImportForm(BaseForm):
    file = forms.FileField(
        label="Tracker (.xlsx)", help_text="Made from the template. Nothing is saved unless the whole file is valid."
    )
    dry_run = forms.BooleanField(
        label="Check only (dry run): report what would be imported and save nothing", required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(f"{upload.name} is not an .xlsx workbook. Start from the template.")
        return upload


class GridDateForm(BaseForm):
    as_of = forms.DateField(
        label="Status as at",
        widget=DATE_WIDGET,
        validators=[validate_date_in_range],
        help_text="The date every row recorded here describes.",
    )


class GridRowForm(RatingFields, BaseForm):
    """One item's row on the grid: whether to record it, a level per dimension (last period's pre-selected), a
    reason serving every dimension, and optional progress."""

    record = forms.BooleanField(required=False)
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 1}))
    progress = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 1}))
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, item, dimensions, previous, levels_by_scale, owed, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        name = str(item)
        self.fields["record"].label = f"Record {name}"
        self.fields["reason"].label = f"Reason for {name}"
        self.fields["progress"].label = f"Progress for {name}"
        self.add_rating_fields(
            dimensions, previous, widget=forms.Select, levels_by_scale=levels_by_scale, reasons=False, name=name
        )
        if not self.is_bound:
            self.initial.setdefault("record", owed)
            if previous is not None:
                # Last period's reason comes with its levels: a level kept that needs a reason keeps its reason,
                # for the person to revise.
                said = [previous.reason] + [r.reason for r in previous.ratings.all()]
                self.initial.setdefault("reason", next((text for text in said if text.strip()), ""))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("record") and not self.has_rating():
            raise ValidationError("Rate at least one dimension, or untick the row.")
        return cleaned


class PortfolioStatusForm(ServiceValidatedModelForm):
    """A portfolio's own status for a day, on the levels of its scale, starting from what its programmes roll up
    to; the service keeps the roll-up beside it and asks why when the level differs."""

    class Meta:
        model = PortfolioStatus
        fields = ["as_of", "level", "summary", "difference_reason"]
        widgets = {
            "as_of": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "difference_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, levels, rollup=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels
        self.fields["level"].empty_label = None
        self.fields["level"].label_from_instance = lambda level: level.label  # one scale: its labels suffice
        self.fields["as_of"].initial = timezone.localdate()
        self.fields["as_of"].validators.append(validate_date_in_range)
        if rollup is not None:
            same = [level for level in levels if level.code == rollup.code and level.scale.code == rollup.scale.code]
            if same:
                self.fields["level"].initial = same[0].pk


class MilestoneForm(EffectiveDateMixin, BaseModelForm):
    """A milestone's details with the reason for the change (kept in its history); the model's rules hold."""

    reason = forms.CharField(
        label="Reason for this change",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the history with your name and the time.",
    )

    class Meta:
        model = Milestone
        fields = ["name", "owner", "baseline_date", "forecast_date", "actual_date", "status", "tell_committee", "notes"]
        widgets = {
            "baseline_date": DATE_WIDGET,
            "forecast_date": DATE_WIDGET,
            "actual_date": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, can_backdate=False, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_effective_date(can_backdate)
        from django.contrib.auth import get_user_model

        self.fields["owner"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        for name in ("baseline_date", "forecast_date", "actual_date"):
            self.fields[name].validators.append(validate_date_in_range)


class MilestoneFilterForm(BaseForm):
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "All"),
            ("overdue", "Overdue"),
            ("planned", "Planned"),
            ("complete", "Complete"),
            ("committee", "For the committee"),
        ],  # fmt: skip
    )
