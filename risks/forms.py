"""Forms for risks. Choices come from the scheme, so an organisation's own scales appear without code."""

from django import forms
from django.utils import timezone

from changeprog.forms import DATE_WIDGET, BaseForm, CustomFieldsMixin, ServiceValidatedModelForm
from risks.models import SCORE_CHOICES, Confidence, Dependency, Register, Risk, RiskAction
from risks.pickers import RegisterField
from risks.services import RISK_EDITABLE, ImpactInput
from workstreams.models import Project


class AssessmentForm(BaseForm):
    """How much it would matter if a project were not progressed, per corporate category."""

    assessed_on = forms.DateField(label="Assessed on", widget=DATE_WIDGET, initial=timezone.localdate)
    likelihood = forms.TypedChoiceField(
        label="Likelihood that these consequences materialise if the project is not progressed", coerce=int
    )
    confidence = forms.ChoiceField(choices=Confidence.choices, initial=Confidence.MEDIUM)
    mandatory = forms.BooleanField(label="Mandatory (a legal or regulatory deadline applies)", required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, scheme, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.fields["likelihood"].choices = [
            (level.score, f"{level.score} {level.label} – {level.descriptor}")
            for level in scheme.likelihood_levels.all()
        ]
        impact_labels = {level.score: level.label for level in scheme.impact_levels.all()}
        self.categories = list(scheme.categories.all())
        previous_impacts = {i.category.code: i for i in previous.impacts.all()} if previous else {}
        self.rows = []
        for category in self.categories:
            descriptors = {d.impact: d.text for d in category.descriptors.all()}
            choices = [(0, "0 None")] + [
                (score, f"{score} {label} – {descriptors.get(score, '')}") for score, label in impact_labels.items()
            ]
            self.fields[f"impact_{category.code}"] = forms.TypedChoiceField(
                label=f"Impact on {category.name} if not progressed",
                choices=choices,
                coerce=int,
                initial=0,
                required=False,
                empty_value=0,
            )
            self.fields[f"rationale_{category.code}"] = forms.CharField(
                label=f"Why, for {category.name}", required=False, max_length=300
            )
            self.rows.append((category, self[f"impact_{category.code}"], self[f"rationale_{category.code}"]))
            if previous and not self.is_bound and category.code in previous_impacts:
                self.initial[f"impact_{category.code}"] = previous_impacts[category.code].impact
                self.initial[f"rationale_{category.code}"] = previous_impacts[category.code].rationale
        if previous and not self.is_bound:
            self.initial.update(
                likelihood=previous.likelihood, confidence=previous.confidence, mandatory=previous.mandatory
            )

    def impacts(self) -> list[ImpactInput]:
        return [
            ImpactInput(c, self.cleaned_data[f"impact_{c.code}"], self.cleaned_data[f"rationale_{c.code}"])
            for c in self.categories
        ]


def _score_choices(levels):
    return [(level.score, f"{level.score} {level.label}") for level in levels]


class RiskForm(CustomFieldsMixin, ServiceValidatedModelForm):
    """Raise or edit a risk. Choices come from the risk's scheme; the service checks and scores it."""

    reason = forms.CharField(
        label="Reason for this change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the history with your name and the time.",
    )

    class Meta:
        model = Risk
        fields = [*RISK_EDITABLE, "raised_on"]
        widgets = {
            "cause": forms.Textarea(attrs={"rows": 2}),
            "event": forms.Textarea(attrs={"rows": 2}),
            "effect": forms.Textarea(attrs={"rows": 2}),
            "target_date": DATE_WIDGET,
            "raised_on": DATE_WIDGET,
        }

    def __init__(self, *args, scheme, register, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = scheme.categories.all()
        for kind in ("inherent", "current", "target"):
            self.fields[f"{kind}_likelihood"] = forms.TypedChoiceField(
                label=f"{kind.title()} likelihood", coerce=int, choices=_score_choices(scheme.likelihood_levels.all())
            )
            self.fields[f"{kind}_impact"] = forms.TypedChoiceField(
                label=f"{kind.title()} impact", coerce=int, choices=_score_choices(scheme.impact_levels.all())
            )
        programme = register.programme or (register.project.workstream.programme if register.project else None)
        if programme is not None:
            self.fields["workstream"].queryset = programme.workstreams.all()
            self.fields["project"].queryset = Project.objects.filter(workstream__programme=programme)
        if self.instance.pk:
            del self.fields["raised_on"]
            self.fields["reason"].required = True

    def _post_clean(self):
        # The service validates and scores the risk; the form only cleans the values it was given.
        pass

    def changes(self) -> dict:
        standard = {n: self.cleaned_data[n] for n in self.standard_field_names() if n not in ("reason", "raised_on")}
        return {**standard, **self.custom_changes()}


class RiskReviewForm(BaseForm):
    reviewed_on = forms.DateField(label="Reviewed on", widget=DATE_WIDGET, initial=timezone.localdate)
    current_likelihood = forms.TypedChoiceField(label="Current likelihood", coerce=int)
    current_impact = forms.TypedChoiceField(label="Current impact", coerce=int)
    reason = forms.CharField(label="What the review found", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, risk, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["current_likelihood"].choices = _score_choices(risk.scheme.likelihood_levels.all())
        self.fields["current_impact"].choices = _score_choices(risk.scheme.impact_levels.all())
        if not self.is_bound:
            self.initial.update(current_likelihood=risk.current_likelihood, current_impact=risk.current_impact)


class RiskCloseForm(BaseForm):
    closed_reason = forms.CharField(label="Why the risk is closed", widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(ServiceValidatedModelForm):
    reason = forms.CharField(label="Reason for this change", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = RiskAction
        fields = ["description", "owner", "due_date", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "due_date": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["reason"].required = True
        else:
            del self.fields["status"]


class EscalateForm(BaseForm):
    reason = forms.CharField(
        label="Why this risk should be held at the higher level", widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(BaseForm):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept and link it"), ("return", "Return it")], widget=forms.RadioSelect, label="Decision"
    )
    link_to = forms.ModelChoiceField(
        queryset=Risk.objects.none(),
        required=False,
        label="Link to an existing risk",
        empty_label="A new risk (name it below)",
    )
    new_title = forms.CharField(label="Title of a new risk", required=False, max_length=200)
    decision_reason = forms.CharField(label="Reason for the decision", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, register, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["link_to"].queryset = register.risks.filter(status="open").select_related("register")


class DependencyForm(ServiceValidatedModelForm):
    reason = forms.CharField(label="Reason for this change", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Dependency
        fields = ["to_project", "external_name", "external_kind", "kind", "description", "owner", "needed_by", "status"]
        labels = {"to_project": "Depends on project", "external_name": "Or on something outside the programme"}
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "needed_by": DATE_WIDGET}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_project"].queryset = Project.objects.filter(
            workstream__programme_id=project.workstream.programme_id
        ).exclude(pk=project.pk)
        if self.instance.pk:
            for name in ("to_project", "external_name", "external_kind"):
                del self.fields[name]
            self.fields["reason"].required = True
        else:
            del self.fields["status"]


class HeatMapForm(forms.Form):
    """Which heat map to draw: one of the three scores, of every register or of one (typed, not listed)."""

    which = forms.ChoiceField(label="Score", choices=SCORE_CHOICES, required=False)
    register = RegisterField(Register.objects.all(), required=False, help_text="Leave empty for every register.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].widget.attrs.update(
            {"id": "hm-register", "class": "form-control form-control-sm", "aria-describedby": "hm-register-help"}
        )

    def full_clean(self):
        """A register that could not be read marks its field invalid for assistive technology too."""
        super().full_clean()
        if "register" in self._errors:
            attrs = self.fields["register"].widget.attrs
            attrs["class"] += " is-invalid"
            attrs["aria-describedby"] += " hm-register-error"
            attrs["aria-invalid"] = "true"

    def chosen(self) -> tuple[str, Register | None]:
        """The score and register to draw; what could not be read falls back to current scores of every register
        (the page says why next to the field)."""
        if not self.is_bound:
            return "current", None
        self.is_valid()  # cleans the form once: a field that could not be read is left out of cleaned_data
        return self.cleaned_data.get("which") or "current", self.cleaned_data.get("register")
