"""Forms for assurance and value. Each governed change asks why; the services check the record as a whole."""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from assurance.models import (
    Benefit,
    BenefitMeasurement,
    BusinessCase,
    CaseDecision,
    CaseStatus,
    Decision,
    Driver,
    EmbeddingAction,
    FundingKind,
)
from changeprog.forms import DATE_WIDGET, BaseForm, CustomFieldsMixin, ServiceValidatedModelForm
from workstreams.models import Project, Workstream

REASON_HELP = "Kept in the history with your name."

# What evidence may be: the file types a force's offices exchange, each with the bytes its files begin with.
EVIDENCE_TYPES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".txt": (),
    ".csv": (),
}


def reason_field(label="Reason for this change"):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 2}), help_text=REASON_HELP)


class ReasonForm(BaseForm):
    reason = reason_field()


class DriverForm(ServiceValidatedModelForm):
    reason = reason_field()

    class Meta:
        model = Driver
        fields = ["kind", "title", "description", "source", "reference", "issued_on"]
        widgets = {"issued_on": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}


class ItemChoiceField(forms.ChoiceField):
    """One workstream or project of a programme, as "w<pk>" or "p<pk>"."""

    def __init__(self, *args, programme_items, **kwargs):
        workstreams, projects = programme_items
        self.items = {f"w{w.pk}": w for w in workstreams} | {f"p{p.pk}": p for p in projects}
        choices = [("", "Choose…")]
        choices += [("Workstreams", [(f"w{w.pk}", w.name) for w in workstreams])]
        choices += [("Projects", [(f"p{p.pk}", f"{p.name} ({p.workstream.name})") for p in projects])]
        super().__init__(*args, choices=choices, **kwargs)

    def clean(self, value):
        return self.items[super().clean(value)]


def programme_items(programme=None):
    workstreams = Workstream.objects.select_related("programme").order_by("programme", "order", "name")
    projects = Project.objects.select_related("workstream").order_by("workstream__order", "name")
    if programme is not None:
        workstreams = workstreams.filter(programme=programme)
        projects = projects.filter(workstream__programme=programme)
    return list(workstreams), list(projects)


class LinkForm(BaseForm):
    item = ItemChoiceField(label="Work that answers it", programme_items=([], []))
    note = forms.CharField(label="How it answers the driver", required=False, max_length=300)
    reason = reason_field()

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"] = ItemChoiceField(label="Work that answers it", programme_items=items)


class EvidenceForm(BaseForm):
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="What the evidence shows.")
    provided_on = forms.DateField(label="Provided on", widget=DATE_WIDGET)
    link = forms.URLField(label="Link", required=False, max_length=500, assume_scheme="https")
    upload = forms.FileField(
        label="File",
        required=False,
        help_text=f"PDF, Word, Excel, PowerPoint, PNG, JPEG, text or CSV, up to "
        f"{filesizeformat(settings.EVIDENCE_MAX_BYTES)}.",
    )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return None
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in EVIDENCE_TYPES:
            raise forms.ValidationError(
                f"{upload.name} is not a file type ChangeProg keeps as evidence; use PDF, Word, Excel, PowerPoint, "
                "PNG, JPEG, text or CSV."
            )
        if upload.size > settings.EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(
                f"{upload.name} is {filesizeformat(upload.size)}; evidence files are limited to "
                f"{filesizeformat(settings.EVIDENCE_MAX_BYTES)}."
            )
        head = upload.read(8)
        upload.seek(0)
        signatures = EVIDENCE_TYPES[suffix]
        if signatures and not any(head.startswith(s) for s in signatures):
            raise forms.ValidationError(f"{upload.name} does not look like a {suffix[1:].upper()} file.")
        if not signatures and b"\x00" in upload.read(4096):
            raise forms.ValidationError(f"{upload.name} is not a plain text file.")
        upload.seek(0)
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("link") or data.get("upload")) and len(data.get("summary", "")) < 20:
            raise forms.ValidationError("Describe the evidence in a sentence or more, or attach a link or a file.")
        return data


class AcceptEvidenceForm(BaseForm):
    accepted_on = forms.DateField(label="Accepted on", widget=DATE_WIDGET)


class CaseForm(ServiceValidatedModelForm):
    funding = forms.CharField(
        label="Funding required",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One line per year and kind: year, capital or revenue, amount in pounds, e.g. 2022/23, revenue, 250000.",
    )
    reason = reason_field()

    class Meta:
        model = BusinessCase
        fields = ["title", "workstreams", "scope", "timescales", "benefits", "options", "resourcing"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["scope", "timescales", "benefits", "options", "resourcing"]
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workstreams"].queryset = programme.workstreams.order_by("order", "name")
        self.fields["workstreams"].widget = forms.CheckboxSelectMultiple()
        self.fields["workstreams"].required = False
        if self.instance.pk and not self.is_bound:
            self.initial["funding"] = "\n".join(f"{f.year}, {f.kind}, {f.amount}" for f in self.instance.funding.all())

    def clean_funding(self):
        lines, kinds = [], {k.value: k.value for k in FundingKind} | {k.label.lower(): k.value for k in FundingKind}
        for number, raw in enumerate(self.cleaned_data["funding"].splitlines(), start=1):
            if not raw.strip():
                continue
            parts = [p.strip() for p in raw.split(",")]
            if len(parts) != 3 or parts[1].lower() not in kinds:
                raise forms.ValidationError(f"Line {number} should read: year, capital or revenue, amount.")
            try:
                amount = int(parts[2].replace("£", "").replace(" ", ""))
            except ValueError:
                raise forms.ValidationError(f"Line {number}: {parts[2]!r} is not a whole number of pounds.") from None
            if amount < 0:
                raise forms.ValidationError(f"Line {number}: an amount cannot be negative.")
            lines.append((parts[0], kinds[parts[1].lower()], amount))
        if len({(y, k) for y, k, _ in lines}) != len(lines):
            raise forms.ValidationError("Give each year and kind once.")
        return lines


class CaseDecisionForm(ServiceValidatedModelForm):
    class Meta:
        model = CaseDecision
        fields = ["outcome", "board", "on", "by_name", "conditions"]
        widgets = {"on": DATE_WIDGET, "conditions": forms.Textarea(attrs={"rows": 2})}
        labels = {"on": "Date"}

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = (
            [CaseStatus.SUBMITTED]
            if case.status in (CaseStatus.DRAFT, CaseStatus.DEFERRED)
            else [CaseStatus.APPROVED, CaseStatus.CONDITIONAL, CaseStatus.DEFERRED, CaseStatus.REJECTED]
        )
        self.fields["outcome"].choices = [(c.value, c.label) for c in allowed]


class BenefitForm(CustomFieldsMixin, ServiceValidatedModelForm):
    item = ItemChoiceField(label="Workstream or project", programme_items=([], []))
    reason = reason_field()

    class Meta:
        model = Benefit
        fields = ["item", "title", "kind", "unit", "owner_name", "baseline", "baseline_on", "target", "target_on"]
        widgets = {"baseline_on": DATE_WIDGET, "target_on": DATE_WIDGET}

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"] = ItemChoiceField(label="Workstream or project", programme_items=items)
        if self.instance.pk:
            item = self.instance.item
            self.initial["item"] = f"{'p' if self.instance.project_id else 'w'}{item.pk}"


class MeasurementForm(ServiceValidatedModelForm):
    reason = reason_field()

    class Meta:
        model = BenefitMeasurement
        fields = ["measured_on", "value", "note"]
        widgets = {"measured_on": DATE_WIDGET}


class EmbeddingForm(ServiceValidatedModelForm):
    item = ItemChoiceField(label="Workstream or project", programme_items=([], []))
    reason = reason_field()

    class Meta:
        model = EmbeddingAction
        fields = ["item", "description", "owner_name", "due_on", "status", "completed_on"]
        widgets = {"due_on": DATE_WIDGET, "completed_on": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"] = ItemChoiceField(label="Workstream or project", programme_items=items)
        if self.instance.pk:
            self.initial["item"] = f"{'p' if self.instance.project_id else 'w'}{self.instance.item.pk}"


class DecisionForm(ServiceValidatedModelForm):
    reason = reason_field()

    class Meta:
        model = Decision
        fields = ["title", "detail", "board", "owner_name", "needed_by", "status", "decided_on", "outcome"]
        widgets = {
            "needed_by": DATE_WIDGET,
            "decided_on": DATE_WIDGET,
            "detail": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }
