"""Every edit form in every app refuses to save over a change made after it was opened (one record of each kind:
risks, actions, dependencies, drivers, business cases, benefits, embedding actions, decisions, report headers).
The form is opened, a colleague saves the record, and the form, posted as it was shown, is refused with who changed
it and nothing saved; posted again with the version it now carries, it saves."""

import pytest
from django.urls import reverse

from tests.factories import programme_office_user
from tests.world import world_fixture

pytestmark = pytest.mark.django_db

world = world_fixture()

EDIT_FORMS = [
    ("risks:risk_edit", "risk_a"),
    ("risks:action_edit", "action_a"),
    ("risks:dependency_edit", "dependency_a"),
    ("assurance:driver_edit", "driver"),
    ("assurance:case_edit", "case"),
    ("assurance:benefit_edit", "benefit"),
    ("assurance:embedding_edit", "embedding"),
    ("assurance:decision_edit", "decision"),
    ("reporting:report_edit", "draft"),
]


@pytest.fixture(autouse=True)
def evidence_store(settings, world):
    settings.EVIDENCE_ROOT = world["evidence_root"]
    return settings.EVIDENCE_ROOT


def as_shown(form) -> dict:
    """The form's fields posted exactly as the page showed them, with a reason."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or name == "seen_version":
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    data["reason"] = "My edit"
    return data


def colleague_saves(record, colleague):
    record.refresh_from_db()
    record._history_user = colleague
    record.save()


@pytest.mark.parametrize(("url_name", "key"), EDIT_FORMS)
def test_a_stale_edit_form_is_refused_with_who_changed_it_and_saves_once_seen(client, world, url_name, key):
    record = world[key]
    colleague = programme_office_user(username="colleague", first_name="Casey", last_name="Colleague")
    client.force_login(world["pmo"])
    url = reverse(url_name, args=[record.pk])
    opened = client.get(url)
    assert opened.status_code == 200
    seen = opened.context["seen_version"]
    assert seen, f"{url_name} does not say which version it shows"
    data = as_shown(opened.context["form"])

    colleague_saves(record, colleague)
    versions = record.history.count()

    stale = client.post(url, {**data, "seen_version": seen})
    body = stale.content.decode()
    assert stale.status_code == 400, body
    assert "Casey Colleague changed" in body and "after you opened this form" in body
    assert record.history.count() == versions  # nothing saved

    saved = client.post(url, {**data, "seen_version": stale.context["seen_version"]})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert record.history.count() == versions + 1
    assert record.history.latest().history_user == world["pmo"]
