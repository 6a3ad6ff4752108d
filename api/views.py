"""The read-only API: the portfolio, status updates, risks, benefits and the organisation's own fields, for Power
BI and anything else that reads JSON. The same access rule as the pages (`permissions`), token or session
authentication, pages of 100 (up to 1,000 with `page_size`), filters per list, and `as_at` (a date) on the
portfolio and risks to read them as they stood at the end of that day. Every list costs a fixed number of
queries, whatever its length."""

from functools import cached_property

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.routers import APIRootView

from api import filters, serializers
from api.pagination import Pages
from assurance.models import Benefit
from changeprog import custom_fields
from changeprog.models import CustomField
from risks import selectors as risk_selectors
from workstreams import selectors
from workstreams.forms import AsAtForm
from workstreams.models import Portfolio, StatusRating, StatusUpdate

AS_AT = OpenApiParameter(
    "as_at",
    OpenApiTypes.DATE,
    description="Read the records as they stood at the end of this day (YYYY-MM-DD); today or earlier.",
)


def api_view(view):
    """The API signs in by token (or the session) and answers 401 or 403 itself: the site's sign-in redirect
    (`LoginRequiredMiddleware`) is not for it."""
    return login_not_required(view)


class Root(APIRootView):
    """The API's index: a link to each list."""

    @classmethod
    def as_view(cls, *args, **initkwargs):
        return api_view(super().as_view(*args, **initkwargs))


class OwnFieldsFilterBackend(DjangoFilterBackend):
    """Passes the view's own fields to its FilterSet, which adds a filter for each (`CustomFilterSet`)."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        if getattr(view, "record", None):
            kwargs["custom"] = view.own_fields
        return kwargs


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A list and a detail. Records are found by `id` (a record as it stood on a date is a history row whose own
    key is not the record's). `record` names the kind whose own fields the list filters by."""

    lookup_field = "id"
    lookup_value_converter = "int"
    pagination_class = Pages
    filter_backends = [OwnFieldsFilterBackend]
    record = ""
    takes_as_at = False

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return api_view(super().as_view(actions, **initkwargs))

    @cached_property
    def own_fields(self):
        return custom_fields.fields_for(self.record) if self.record else []

    @cached_property
    def as_at(self):
        if not self.takes_as_at or "as_at" not in self.request.query_params:
            return None
        form = AsAtForm({"as_at": self.request.query_params["as_at"]})
        if not form.is_valid() or form.cleaned_data["as_at"] is None:
            raise drf_serializers.ValidationError({"as_at": form.errors.get("as_at", ["Enter a valid date."])})
        return form.cleaned_data["as_at"]

    def rows(self):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.rows()  # the schema only asks which model it is: no query
        return custom_fields.annotate(self.rows(), self.own_fields)


def _item_viewset(kind: str, serializer, filterset, extra_related=()):
    @extend_schema_view(list=extend_schema(parameters=[AS_AT]), retrieve=extend_schema(parameters=[AS_AT]))
    class ItemViewSet(ReadOnlyViewSet):
        __doc__ = f"{kind.title()}s with their latest headline status (as at a date with `as_at`)."
        serializer_class = serializer
        filterset_class = filterset
        record = kind
        takes_as_at = True

        def rows(self):
            rows = selectors.items_with_status(kind, as_of=self.as_at)
            return rows.select_related(*extra_related) if extra_related else rows

    ItemViewSet.__name__ = f"{kind.title()}ViewSet"
    return ItemViewSet


ProgrammeViewSet = _item_viewset("programme", serializers.ProgrammeSerializer, filters.ProgrammeFilter)
WorkstreamViewSet = _item_viewset("workstream", serializers.WorkstreamSerializer, filters.WorkstreamFilter)
ProjectViewSet = _item_viewset(
    "project", serializers.ProjectSerializer, filters.ProjectFilter, extra_related=("workstream",)
)


class PortfolioViewSet(ReadOnlyViewSet):
    """Portfolios above the programmes; one portfolio also gives its status rolled up from its programmes."""

    serializer_class = serializers.PortfolioSerializer
    filter_backends = []

    def get_serializer_class(self):
        return serializers.PortfolioDetailSerializer if self.action == "retrieve" else serializers.PortfolioSerializer

    def rows(self):
        return Portfolio.objects.select_related("owner").order_by("pk")


class StatusUpdateViewSet(ReadOnlyViewSet):
    """Every status update with its ratings (level code, label, colour, severity, reason), newest first."""

    serializer_class = serializers.StatusUpdateSerializer
    filterset_class = filters.StatusUpdateFilter

    def rows(self):
        ratings = StatusRating.objects.select_related("level", "dimension", "update").order_by(
            "dimension__order", "dimension__name"
        )
        return (
            StatusUpdate.objects.select_related("author")
            .prefetch_related(Prefetch("ratings", queryset=ratings))
            .order_by("-as_of", "-created_at", "-pk")
        )


@extend_schema_view(list=extend_schema(parameters=[AS_AT]), retrieve=extend_schema(parameters=[AS_AT]))
class RiskViewSet(ReadOnlyViewSet):
    """Every register's risks with their scores, band and appetite (as at a date with `as_at`)."""

    serializer_class = serializers.RiskSerializer
    filterset_class = filters.RiskFilter
    record = "risk"
    takes_as_at = True

    def rows(self):
        if self.as_at is None:
            return risk_selectors.register_rows().order_by("pk")
        return risk_selectors.register_rows_as_at(self.as_at).select_related("owner").order_by("id")


class BenefitViewSet(ReadOnlyViewSet):
    """Benefits with their baseline and target."""

    serializer_class = serializers.BenefitSerializer
    filterset_class = filters.BenefitFilter
    record = "benefit"

    def rows(self):
        return Benefit.objects.order_by("pk")


class CustomFieldViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The organisation's own fields: what each code in a record's `custom` means."""

    pagination_class = Pages

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return api_view(super().as_view(actions, **initkwargs))

    serializer_class = serializers.CustomFieldSerializer
    filter_backends = []

    def get_queryset(self):
        return CustomField.objects.order_by("record", "order", "label")
