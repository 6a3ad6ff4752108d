from django import forms

from changeprog.forms import DATE_WIDGET, BaseForm, ServiceValidatedModelForm, validate_date_in_range
from reporting.models import Report
from workstreams.models import Programme


class NewReportForm(BaseForm):
    programme = forms.ModelChoiceField(queryset=Programme.objects.all())
    meeting_date = forms.DateField(widget=DATE_WIDGET, label="Meeting date")
    comparison_date = forms.DateField(
        widget=DATE_WIDGET, required=False, help_text="Leave empty to compare with the board's previous report."
    )
    title = forms.CharField(required=False, max_length=200, help_text="Leave empty to use the programme's name.")
    officer_name = forms.CharField(required=False, max_length=100, label="Signed by")


class ReportHeaderForm(ServiceValidatedModelForm):
    reason = forms.CharField(label="Reason for this change", widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Report
        fields = [
            "title",
            "meeting_date",
            "comparison_date",
            "for_decision",
            "addressed_to",
            "executive_officer",
            "officer_name",
        ]
        widgets = {"meeting_date": DATE_WIDGET, "comparison_date": DATE_WIDGET}


class SectionForm(BaseForm):
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Separate paragraphs with a blank line. Paragraphs are numbered when the report is shown.",
    )


class PublishForm(BaseForm):
    """One box per group of data-quality findings: publishing needs each ticked (or the data fixed)."""

    def __init__(self, *args, findings, **kwargs):
        super().__init__(*args, **kwargs)
        for finding in findings:
            self.fields[f"ack_{finding.code}"] = forms.BooleanField(
                label=f"I have read the {finding.count} finding{'s' if finding.count != 1 else ''} under "
                f"“{finding.title}” and publish the report with them",
                required=True,
                error_messages={"required": "Fix these, or acknowledge them to publish regardless."},
            )

    def acknowledged(self) -> list[str]:
        return [name.removeprefix("ack_") for name, value in self.cleaned_data.items() if value]


class PackForm(BaseForm):
    """What goes into a board pack besides the paper."""

    appendix = forms.MultipleChoiceField(
        label="Appendices",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
        help_text="Drawn from the record as at the paper's meeting.",
    )

    def __init__(self, *args, **kwargs):
        from reporting.pack import APPENDICES

        super().__init__(*args, **kwargs)
        self.fields["appendix"].choices = [(code, title) for code, (title, _) in APPENDICES.items()]


class ChallengeForm(BaseForm):
    minute_reference = forms.CharField(max_length=60, help_text="The minute that records it, e.g. AC 22/45.")
    raised_by = forms.CharField(max_length=200, help_text="Who asked, as the minutes name them.")
    question = forms.CharField(label="Challenge", widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(BaseForm):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    answered_on = forms.DateField(label="Answered on", widget=DATE_WIDGET, validators=[validate_date_in_range])

    def __init__(self, *args, revising: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if revising:
            self.fields["reason"] = forms.CharField(
                label="Why the answer changes", help_text="The history keeps the answer given before."
            )


class PortfolioPublishForm(BaseForm):
    addressed_to = forms.CharField(
        label="Addressed to",
        max_length=300,
        required=False,
        help_text="The meeting or body the paper goes to, e.g. the Police and Crime Panel, January 2027.",
    )
