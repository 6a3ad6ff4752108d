"""factory-boy factories for the portfolio. Portfolio objects go through the services, as the app's do."""

from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from faker import Faker

from changeprog.roles import CONTRIBUTOR, PROGRAMME_OFFICE, VIEWER
from workstreams import services

NAMES = Faker("en_GB")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Real-looking names without the apostrophe of O'Brien: pages escape it, and tests that look for a person's
    # name in a page would then fail by chance.
    first_name = factory.LazyFunction(lambda: NAMES.first_name().replace("'", ""))
    last_name = factory.LazyFunction(lambda: NAMES.last_name().replace("'", ""))
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


def programme_office_user(**kwargs):
    return UserFactory(role=PROGRAMME_OFFICE, **kwargs)


def contributor(**kwargs):
    return UserFactory(role=CONTRIBUTOR, **kwargs)


def viewer(**kwargs):
    return UserFactory(role=VIEWER, **kwargs)


_counter = iter(range(1, 10**9))

# Test portfolios are on record from this day (their effective date), as a portfolio already running when it
# came into ChangeProg would be: updates dated in 2021 or 2022 then belong to items that existed.
ON_RECORD_FROM = date(2020, 1, 1)


def make_programme(*, by, code=None, name="Test programme", **kwargs):
    n = next(_counter)
    kwargs.setdefault("effective", ON_RECORD_FROM)
    return services.programme_create(code=code or f"P{n}", name=name, by=by, reason="Test set-up", **kwargs)


def make_workstream(programme, *, by, name=None, **kwargs):
    kwargs.setdefault("effective", ON_RECORD_FROM)
    return services.workstream_create(
        programme=programme,
        name=name or f"Workstream {next(_counter)}",
        by=by,
        reason="Test set-up",
        **kwargs,
    )


def make_project(workstream, *, by, name=None, **kwargs):
    kwargs.setdefault("effective", ON_RECORD_FROM)
    return services.project_create(
        workstream=workstream, name=name or f"Project {next(_counter)}", by=by, reason="Test set-up", **kwargs
    )


def make_portfolio(*, pmo, lead_a, lead_b) -> dict:
    """A programme with two workstreams (A led by lead_a, B by lead_b), each with one project."""
    programme = make_programme(by=pmo, name="Portfolio under test")
    ws_a = make_workstream(programme, by=pmo, name="Workstream A", lead=lead_a)
    ws_b = make_workstream(programme, by=pmo, name="Workstream B", lead=lead_b)
    return {
        "programme": programme,
        "ws_a": ws_a,
        "ws_b": ws_b,
        "project_a": make_project(ws_a, by=pmo, name="Project A"),
        "project_b": make_project(ws_b, by=pmo, name="Project B"),
    }


def risk_form(**values) -> dict:
    """A complete risk form as the page posts it (the current scheme's legal category unless given)."""
    from risks.models import RiskScheme

    return {
        "category": RiskScheme.objects.get(is_current=True).categories.get(code="legal").pk,
        "inherent_likelihood": 3,
        "inherent_impact": 3,
        "current_likelihood": 2,
        "current_impact": 3,
        "target_likelihood": 1,
        "target_impact": 3,
        "response": "treat",
        "raised_on": "2022-05-01",
        **values,
    }
