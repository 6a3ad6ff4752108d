"""Forms for risks. Choices come from the scheme, so an organisation's own scales appear without code."""

from django import forms
from django.utils import timezone

from risks.models import Confidence
from risks.services import ImpactInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssessmentForm(forms.Form):
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
