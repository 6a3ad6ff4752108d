"""Choosing a risk register by typing (risks.pickers): the heat map and the risk register's filter list no
registers, however many an organisation keeps; a register is found by its label, code, id or a unique name, and
what names none or several is refused beside the field."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from risks import services
from risks.models import Register, RegisterLevel
from risks.pickers import RegisterField, register_label
from tests.conftest import client_for
from workstreams.models import Project, Workstream

pytestmark = pytest.mark.django_db


def make_registers(n, *, prefix="PRJ", name="Project register"):
    """`n` project registers, each of a project of its own (made directly: only the registers matter here)."""
    workstream = Workstream.objects.order_by("pk").first()
    projects = Project.objects.bulk_create(
        [Project(workstream=workstream, name=f"{prefix} project {i}") for i in range(n)]
    )
    return Register.objects.bulk_create(
        [
            Register(level=RegisterLevel.PROJECT, project=project, code=f"{prefix}{i:04d}", name=f"{name} {i}")
            for i, project in enumerate(projects)
        ]
    )


@pytest.fixture
def registers(portfolio, pmo):
    programme = services.programme_register(portfolio["programme"], by=pmo)
    twins = [
        Register.objects.create(level=RegisterLevel.PROJECT, project=portfolio[key], code=code, name="Estates")
        for key, code in (("project_a", "EST1"), ("project_b", "EST2"))
    ]
    return {"programme": programme, "corporate": services.corporate_register(), "twins": twins}


def field():
    return RegisterField(Register.objects.all())


def test_a_register_is_found_by_its_label_code_id_or_a_unique_name(registers):
    programme = registers["programme"]
    for typed in (register_label(programme), programme.code, programme.code.upper(), str(programme.pk), programme.name):
        assert field().clean(typed) == programme


def test_a_name_with_brackets_of_its_own_is_found_as_typed_and_by_its_label(registers):
    northern = make_registers(1, prefix="NTH", name="Estates (North)")[0]
    northern.name = "Estates (North)"
    northern.save()
    assert field().clean("Estates (North)") == northern
    assert field().clean(register_label(northern)) == northern == field().clean("estates (north) (nth0000)")


def test_two_registers_of_one_name_are_told_apart_by_their_codes(registers):
    with pytest.raises(ValidationError, match="Several registers are called “Estates”"):
        field().clean("Estates")
    assert field().clean("Estates (EST2)") == registers["twins"][1]


@pytest.mark.parametrize("typed", ["Nowhere", "Estates (EST9)", "0"])
def test_a_register_that_is_not_held_is_refused_by_name(registers, typed):
    with pytest.raises(ValidationError, match="No register called"):
        field().clean(typed)


def test_suggestions_match_every_word_at_most_twenty_in_the_same_queries(client, viewer, registers):
    client_for(client, viewer)
    url = reverse("risks:register_search")
    html = client.get(url, {"field": "register", "register": "estates est2"}).content.decode()
    assert 'value="Estates (EST2)"' in html and "EST1" not in html
    assert client.get(url, {"q": ""}).content.decode().strip() == ""
    make_registers(3)
    client.get(url, {"q": "project register"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "project register"})
    make_registers(40, prefix="MORE")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url, {"q": "project register"}).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert html.count("<option") == 20


def test_the_heat_map_and_the_register_list_no_registers_however_many_there_are(client, viewer, registers):
    """A page that offered every register grew with the organisation; now both pages are the same size and cost
    the same number of queries with three registers or three hundred."""
    client_for(client, viewer)
    pages = [(reverse("risks:heatmap"), {}), (reverse("risks:register_list"), {})]

    def measure():
        sizes = []
        for url, params in pages:
            with CaptureQueriesContext(connection) as queries:
                html = client.get(url, params).content.decode()
            assert not re.search(r'<select[^>]*name="register"', html)
            assert re.search(r'<input[^>]*name="register"[^>]*list="[^"]*-registers"', html)
            sizes.append((len(queries.captured_queries), html.count("<option")))
        return sizes

    client.get(pages[0][0])
    before = measure()
    make_registers(300)
    assert measure() == before
    heat = client.get(reverse("risks:heatmap")).content.decode()
    assert 'list="hm-register-registers"' in heat and reverse("risks:register_search") in heat


def test_the_heat_map_of_a_register_chosen_by_typing_counts_only_its_risks(client, viewer, registers, pmo):
    from datetime import date

    from risks.models import RiskScheme
    from risks.services import Scores

    financial = RiskScheme.objects.get(is_current=True).categories.get(code="financial")
    for register, title in ((registers["programme"], "IT capacity"), (registers["corporate"], "Estates")):
        services.risk_raise(
            register=register,
            title=title,
            category=financial,
            scores=Scores((5, 4), (4, 3), (2, 2)),
            by=pmo,
            raised_on=date(2025, 4, 1),
        )
    client_for(client, viewer)
    typed = register_label(registers["corporate"])
    html = client.get(reverse("risks:heatmap"), {"register": typed, "which": "current"}).content.decode()
    assert 'aria-label="Likelihood 4, impact 3: 1 risk, Amber"' in html
    assert f'value="{typed}"' in html  # the picker keeps what was chosen
    every = client.get(reverse("risks:heatmap")).content.decode()
    assert 'aria-label="Likelihood 4, impact 3: 2 risks, Amber"' in every
    listed = client.get(reverse("risks:register_list"), {"register": typed}).content.decode()
    assert "Estates" in listed and "IT capacity" not in listed
    by_id = client.get(reverse("risks:register_list"), {"register": registers["corporate"].pk}).content.decode()
    assert "Estates" in by_id and "IT capacity" not in by_id  # the heat map's cells link by id


def test_the_administrations_risk_form_searches_for_its_register_and_project(client, superuser, registers, pmo):
    """The admin chooses a register, workstream or project by searching (Django's autocomplete), and its risk list
    filters by level rather than listing every register."""
    from django.contrib.admin.widgets import AutocompleteSelect

    from risks.models import RiskScheme
    from risks.services import Scores

    risk = services.risk_raise(
        register=registers["programme"],
        title="IT capacity",
        category=RiskScheme.objects.get(is_current=True).categories.get(code="financial"),
        scores=Scores((5, 4), (4, 3), (2, 2)),
        by=pmo,
    )
    make_registers(30)
    client.force_login(superuser)
    response = client.get(reverse("admin:risks_risk_change", args=[risk.pk]))
    fields = response.context["adminform"].form.fields
    for name in ("register", "workstream", "project", "owner"):
        assert isinstance(fields[name].widget.widget, AutocompleteSelect), name
    html = response.content.decode()
    assert "PRJ0029" not in html and "Project register 29" not in html
    listing = client.get(reverse("admin:risks_risk_changelist")).content.decode()
    assert "Project register 29" not in listing and "register__level__exact=project" in listing
    found = client.get(reverse("admin:risks_risk_changelist"), {"q": registers["programme"].code}).content.decode()
    assert "IT capacity" in found
