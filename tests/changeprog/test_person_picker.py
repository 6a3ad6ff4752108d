"""Searchable person pickers (changeprog.people): no form lists every account; a person is chosen by typing
part of a name, from suggestions the server sends, or by typing a user name, full name or email exactly."""

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from changeprog.forms import BaseForm
from changeprog.people import PersonField, PersonPicker, person_label
from tests import factories
from tests.conftest import client_for


@pytest.fixture
def people(db):
    return {
        "jo": factories.UserFactory(username="jsmith", first_name="Jo", last_name="Smith", email="jo@force.example"),
        "jo2": factories.UserFactory(username="jsmith2", first_name="Jo", last_name="Smith", email="j2@force.example"),
        "sam": factories.UserFactory(username="sbrown", first_name="Sam", last_name="Brown", email="sam@force.example"),
        "gone": factories.UserFactory(username="left", first_name="Lee", last_name="Left", is_active=False),
    }


def field():
    return PersonField(get_user_model().objects.filter(is_active=True))


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("Sam Brown (sbrown)", "sam"),
        ("sbrown", "sam"),
        ("SBROWN", "sam"),
        ("sam@force.example", "sam"),
        ("Sam Brown", "sam"),
    ],
)
def test_a_person_is_found_by_label_user_name_email_or_a_unique_full_name(people, typed, who):
    assert field().clean(typed) == people[who]


def test_two_people_of_one_name_are_told_apart_by_their_user_names(people):
    with pytest.raises(ValidationError, match="Several people are called “Jo Smith”"):
        field().clean("Jo Smith")
    assert field().clean(person_label(people["jo2"])) == people["jo2"]


@pytest.mark.parametrize("typed", ["Nobody Here", "Lee Left (left)", "left"])
def test_someone_not_among_the_choices_is_refused_by_name(people, typed):
    """Unknown, or outside the field's people (an inactive account): a clear error, never a guess."""
    with pytest.raises(ValidationError, match="No one called"):
        field().clean(typed)


def test_every_form_gets_pickers_for_its_people(people):
    class Form(BaseForm):
        owner = forms.ModelChoiceField(queryset=get_user_model().objects.all(), required=False)

    form = Form()
    assert isinstance(form.fields["owner"], PersonField)
    assert isinstance(form.fields["owner"].widget, PersonPicker)
    html = str(form["owner"])
    assert 'list="id_owner-people"' in html and "<option" not in html
    assert reverse("workstreams:people_search") in html


def test_the_milestone_form_lists_no_accounts_and_saves_the_person_typed(client, pmo, portfolio, people):
    client_for(client, pmo)
    url = reverse("workstreams:project_milestone_create", args=[portfolio["project_a"].pk])
    page = client.get(url).content.decode()
    assert "sbrown" not in page and "jsmith" not in page
    response = client.post(
        url,
        {
            "name": "Cut-over",
            "owner": "Sam Brown (sbrown)",
            "baseline_date": "2030-01-01",
            "status": "planned",
            "reason": "Planned",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert portfolio["project_a"].milestones.get(name="Cut-over").owner == people["sam"]
    refused = client.post(
        url,
        {"name": "Other", "owner": "Jo Smith", "baseline_date": "2030-01-01", "status": "planned", "reason": "Planned"},
    )
    assert refused.status_code == 400
    assert "Several people are called" in refused.content.decode()
    assert not portfolio["project_a"].milestones.filter(name="Other").exists()


def test_suggestions_match_every_word_and_leave_out_inactive_accounts(client, viewer, people):
    client_for(client, viewer)
    url = reverse("workstreams:people_search")
    html = client.get(url, {"field": "owner", "owner": "jo smi"}).content.decode()
    assert 'value="Jo Smith (jsmith)"' in html and 'value="Jo Smith (jsmith2)"' in html
    assert "Sam Brown" not in html
    assert "Lee Left" not in client.get(url, {"q": "lee"}).content.decode()
    assert client.get(url, {"q": ""}).content.decode().strip() == ""


def test_suggestions_are_at_most_twenty_in_the_same_queries_however_many_people(
    client, viewer, people, django_assert_num_queries
):
    client_for(client, viewer)
    url = reverse("workstreams:people_search")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, {"q": "person"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "person"})
    for n in range(40):
        factories.UserFactory(username=f"person{n}", first_name="Person", last_name=f"Number {n}")
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(url, {"q": "person"}).content.decode()
    assert html.count("<option") == 20


def test_the_administrations_forms_search_for_people_too(client, superuser, portfolio, pmo):
    """Every governed record's admin form chooses a person by searching, never from a list of every account."""
    from django.contrib.admin.widgets import AutocompleteSelect

    from workstreams.models import Milestone
    from workstreams.services import milestone_save

    milestone = milestone_save(
        Milestone(project=portfolio["project_a"], name="Go live", baseline_date="2030-01-01", owner=pmo),
        by=pmo,
        reason="Planned",
    )
    for _ in range(25):
        factories.UserFactory()
    client.force_login(superuser)
    response = client.get(reverse("admin:workstreams_milestone_change", args=[milestone.pk]))
    assert response.status_code == 200
    assert isinstance(response.context["adminform"].form.fields["owner"].widget.widget, AutocompleteSelect)
    assert response.content.decode().count("<option") < 25


def test_a_number_too_large_for_an_id_is_refused_like_any_unknown_person(people):
    with pytest.raises(ValidationError, match="No one called"):
        field().clean("9" * 40)


def test_the_organisations_own_person_fields_are_pickers_in_forms_and_filters(people):
    """A custom field of people (an SRO, say) is chosen as every other person is: searched, never listed."""
    from changeprog.custom_fields import filters_for, form_field
    from changeprog.models import CustomField

    sro = CustomField(record="project", code="sro", label="SRO", type="user")
    picked = form_field(sro)
    assert isinstance(picked, PersonField) and "<option" not in str(picked.widget.render("sro", None))
    assert picked.clean("Sam Brown (sbrown)") == people["sam"]
    [person_filter] = filters_for(sro).values()
    assert person_filter.field_class is PersonField
