"""What the API says about each record. Plain serializers over attributes, so a record as it stands and a record
as it stood on a date (a history row) read the same way. Dates are ISO 8601; people are given by name."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from changeprog.people import person_name
from risks.models import Risk


@extend_schema_field({"type": "string", "nullable": True, "description": "The person's full name."})
class PersonField(serializers.Field):
    def to_representation(self, user):
        return person_name(user) or None


class HeadlineSerializer(serializers.Serializer):
    """The headline status (the first dimension's rating in the item's latest update, `workstreams.rules`)."""

    label = serializers.CharField(source="headline_label", allow_null=True)
    level_id = serializers.IntegerField(source="headline_level_id", allow_null=True)
    severity = serializers.IntegerField(source="headline_severity", allow_null=True)
    as_of = serializers.DateField(source="latest_as_of", allow_null=True)
    update_id = serializers.IntegerField(source="latest_update_id", allow_null=True)


class ItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    lifecycle = serializers.CharField()
    stage = serializers.StringRelatedField()
    start_date = serializers.DateField(allow_null=True)
    baseline_end_date = serializers.DateField(allow_null=True)
    forecast_end_date = serializers.DateField(allow_null=True)
    headline = HeadlineSerializer(source="*")
    custom = serializers.DictField(help_text="The organisation's own fields, by code (see /api/v1/custom-fields/).")


class ProgrammeSerializer(ItemSerializer):
    code = serializers.CharField()
    organisation = serializers.CharField()
    portfolio_id = serializers.IntegerField(allow_null=True)
    manager = PersonField()


class PortfolioItemSerializer(ItemSerializer):
    planned_closure_date = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    national = serializers.BooleanField()


class WorkstreamSerializer(PortfolioItemSerializer):
    programme_id = serializers.IntegerField()
    lead = PersonField()


class ProjectSerializer(PortfolioItemSerializer):
    workstream_id = serializers.IntegerField()
    programme_id = serializers.IntegerField(source="workstream.programme_id")
    manager = PersonField()


class RatingSerializer(serializers.Serializer):
    dimension = serializers.CharField(source="dimension.code")
    dimension_name = serializers.CharField(source="dimension.name")
    level = serializers.CharField(source="level.code")
    label = serializers.CharField(source="level.label")
    colour = serializers.CharField(source="level.colour")
    severity = serializers.IntegerField(source="level.severity")
    is_rating = serializers.BooleanField(source="level.is_rating")
    reason = serializers.CharField(source="explanation")


class StatusUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.SerializerMethodField()
    subject_id = serializers.SerializerMethodField()
    as_of = serializers.DateField()
    reason = serializers.CharField()
    progress = serializers.CharField()
    next_steps = serializers.CharField()
    issues = serializers.CharField()
    decisions_needed = serializers.CharField()
    author = PersonField()
    recorded_at = serializers.DateTimeField(source="created_at")
    ratings = RatingSerializer(many=True)

    def get_subject(self, update) -> str:
        return "programme" if update.programme_id else "workstream" if update.workstream_id else "project"

    def get_subject_id(self, update) -> int:
        return update.programme_id or update.workstream_id or update.project_id


class RiskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.SerializerMethodField()
    register = serializers.CharField(source="register.code")
    title = serializers.CharField()
    category = serializers.CharField(source="category.name")
    owner = PersonField()
    workstream_id = serializers.IntegerField(allow_null=True)
    project_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    response = serializers.CharField()
    inherent_score = serializers.IntegerField(source="inherent_score_db")
    current_score = serializers.IntegerField(source="current_score_db")
    target_score = serializers.IntegerField(source="target_score_db")
    current_likelihood = serializers.IntegerField()
    current_impact = serializers.IntegerField()
    band = serializers.CharField(source="band_name", allow_null=True)
    outside_appetite = serializers.BooleanField()
    raised_on = serializers.DateField()
    last_reviewed_on = serializers.DateField(allow_null=True)
    next_review_due = serializers.DateField(allow_null=True)
    custom = serializers.DictField()

    def get_reference(self, risk) -> str:
        # The model's one rule for a reference, for a risk as it stands or as it stood (a history row).
        return Risk.reference.fget(risk)


class BenefitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    unit = serializers.CharField()
    owner = serializers.CharField(source="owner_name")
    workstream_id = serializers.IntegerField(allow_null=True)
    project_id = serializers.IntegerField(allow_null=True)
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2)
    baseline_on = serializers.DateField()
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    target_on = serializers.DateField()
    custom = serializers.DictField()


class CustomFieldSerializer(serializers.Serializer):
    record = serializers.CharField()
    code = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField()
    required = serializers.BooleanField()
    help_text = serializers.CharField()
    options = serializers.ListField(child=serializers.CharField())
    active = serializers.BooleanField()


class PortfolioSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    owner = PersonField()


class PortfolioStatusSerializer(serializers.Serializer):
    """A portfolio's status rolled up from its open programmes (`workstreams.selectors.portfolio_overview`)."""

    level = serializers.CharField(source="rollup.code", allow_null=True, default=None)
    label = serializers.CharField(source="rollup.label", allow_null=True, default=None)
    explanation = serializers.CharField()
    not_rated = serializers.IntegerField()


class RecordedPortfolioStatusSerializer(serializers.Serializer):
    """A portfolio's own status as its office recorded it for a day, with the roll-up kept beside it."""

    as_of = serializers.DateField()
    level = serializers.CharField(source="level.code")
    label = serializers.CharField(source="level.label")
    summary = serializers.CharField()
    rolled_up_level = serializers.CharField(source="rolled_up_level.code", allow_null=True, default=None)
    rolled_up_explanation = serializers.CharField()
    differs_from_rollup = serializers.BooleanField()
    difference_reason = serializers.CharField()
    recorded_by = PersonField()
    recorded_at = serializers.DateTimeField()


class PortfolioDetailSerializer(PortfolioSerializer):
    status = serializers.SerializerMethodField()
    recorded_status = serializers.SerializerMethodField()

    def overview(self, portfolio):
        from workstreams.selectors import portfolio_overview

        if getattr(self, "_overview", None) is None:
            self._overview = portfolio_overview(portfolio)
        return self._overview

    @extend_schema_field(PortfolioStatusSerializer)
    def get_status(self, portfolio) -> dict:
        return PortfolioStatusSerializer(self.overview(portfolio)).data

    @extend_schema_field(RecordedPortfolioStatusSerializer(allow_null=True))
    def get_recorded_status(self, portfolio) -> dict | None:
        """Its latest recorded status, or null."""
        recorded = self.overview(portfolio).recorded
        return RecordedPortfolioStatusSerializer(recorded).data if recorded else None
