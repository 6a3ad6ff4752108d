"""One update per item per date, a record form that never saves over a colleague's newer update, and a
double submit that makes one record."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from workstreams import services
from workstreams.concurrency import updates_version
from workstreams.models import Project, StatusUpdate, Workstream
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


def record_url(item):
    return reverse("workstreams:workstream_record_update", args=[item.pk])


def overall(programme):
    return programme.dimensions.get(code="overall")


def seen(client, item) -> str:
    """The version a freshly opened record form carries."""
    return client.get(record_url(item)).context["form"].initial["seen_version"]


def test_recording_again_for_a_date_offers_to_correct_that_update(client, lead_a, pmo, portfolio, rag):
    ws = portfolio["ws_a"]
    first = services.status_update_submit(
        subject=ws, as_of=date(2022, 6, 1), ratings=[RatingInput(overall(portfolio["programme"]), rag["GREEN"])], by=pmo
    )
    client.force_login(lead_a)
    response = client.post(
        record_url(ws),
        {
            "as_of": "2022-06-01",
            "rating_overall": rag["AMBER"].pk,
            "reason": "Slipping",
            "seen_version": seen(client, ws),
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert f"There is already an update as at 1 Jun 2022 for Workstream A, recorded by {pmo.get_full_name()}" in body
    assert reverse("workstreams:update_correct", args=[first.pk]) in body
    assert 'value="Slipping"' in body or ">Slipping</textarea>" in body  # what was typed is kept
    assert StatusUpdate.objects.filter(workstream=ws).count() == 1


def test_the_database_holds_one_update_per_item_per_day(pmo, portfolio):
    ws = portfolio["ws_a"]
    StatusUpdate.objects.create(workstream=ws, as_of=date(2022, 6, 1), author=pmo)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.create(workstream=ws, as_of=date(2022, 6, 1), author=pmo)


def test_a_form_opened_before_a_colleagues_update_refuses_to_save_over_it(client, lead_a, pmo, portfolio, rag):
    ws = portfolio["ws_a"]
    client.force_login(lead_a)
    opened = seen(client, ws)  # the lead opens the form; nothing recorded yet
    assert opened == 0
    services.status_update_submit(
        subject=ws,
        as_of=date(2022, 6, 1),
        ratings=[RatingInput(overall(portfolio["programme"]), rag["RED"], "IT diverted")],
        by=pmo,
    )
    typed = {"as_of": "2022-06-02", "rating_overall": rag["AMBER"].pk, "reason": "Recovering", "seen_version": opened}
    response = client.post(record_url(ws), typed)
    body = response.content.decode()
    assert response.status_code == 400
    assert f"{pmo.get_full_name()} recorded the update as at 1 Jun 2022" in body and "Overall Red" in body
    assert "Recovering" in body  # the lead's words are kept
    assert StatusUpdate.objects.filter(workstream=ws).count() == 1
    # Having seen it, the lead saves: the form now carries the newer version.
    again = response.context["form"]["seen_version"].value()
    assert str(again) == str(updates_version(ws))
    assert client.post(record_url(ws), {**typed, "seen_version": again}).status_code == 302
    assert StatusUpdate.objects.filter(workstream=ws).count() == 2


def test_a_correction_made_after_the_form_opened_also_stops_it(client, lead_a, pmo, portfolio, rag):
    ws = portfolio["ws_a"]
    dimension = overall(portfolio["programme"])
    update = services.status_update_submit(
        subject=ws, as_of=date(2022, 6, 1), ratings=[RatingInput(dimension, rag["GREEN"])], by=pmo
    )
    client.force_login(lead_a)
    opened = seen(client, ws)
    services.status_update_correct(
        update=update,
        as_of=update.as_of,
        ratings=[RatingInput(dimension, rag["RED"], "Was wrong")],
        by=pmo,
        correction_reason="Misreported",
    )
    response = client.post(
        record_url(ws), {"as_of": "2022-06-02", "rating_overall": rag["GREEN"].pk, "seen_version": opened}
    )
    assert response.status_code == 400 and "changed the update as at 1 Jun 2022" in response.content.decode()


def test_correcting_an_update_onto_a_date_that_has_one_is_refused(client, pmo, portfolio, rag):
    ws = portfolio["ws_a"]
    dimension = overall(portfolio["programme"])
    services.status_update_submit(
        subject=ws, as_of=date(2022, 5, 1), ratings=[RatingInput(dimension, rag["GREEN"])], by=pmo
    )
    june = services.status_update_submit(
        subject=ws, as_of=date(2022, 6, 1), ratings=[RatingInput(dimension, rag["GREEN"])], by=pmo
    )
    client.force_login(pmo)
    response = client.post(
        reverse("workstreams:update_correct", args=[june.pk]),
        {"as_of": "2022-05-01", "rating_overall": rag["GREEN"].pk, "correction_reason": "Wrong date"},
    )
    assert response.status_code == 400 and "There is already an update as at 1 May 2022" in response.content.decode()
    june.refresh_from_db()
    assert june.as_of == date(2022, 6, 1)


@pytest.mark.parametrize(
    ("url_name", "args", "data", "model"),
    [
        ("workstreams:project_create", "ws_a", {"name": "Twice clicked", "reason": "New"}, Project),
        (
            "workstreams:workstream_create",
            "programme",
            {"name": "Twice clicked", "order": 3, "reason": "New"},
            Workstream,
        ),
    ],
)
def test_a_double_submit_of_a_create_form_makes_one_record(client, pmo, portfolio, url_name, args, data, model):
    client.force_login(pmo)
    url = reverse(url_name, args=[portfolio[args].pk])
    token = client.get(url).context["submission_token"]
    first = client.post(url, {**data, "submission_token": token})
    second = client.post(url, {**data, "submission_token": token})
    assert first.status_code == second.status_code == 302
    made = model.objects.get(name="Twice clicked")
    assert first["Location"] == second["Location"] == made.get_absolute_url()
    assert model.objects.filter(name="Twice clicked").count() == 1


def test_a_refused_submit_does_not_use_up_its_token(client, pmo, portfolio):
    client.force_login(pmo)
    url = reverse("workstreams:project_create", args=[portfolio["ws_a"].pk])
    token = client.get(url).context["submission_token"]
    assert client.post(url, {"name": "No reason", "submission_token": token}).status_code == 400
    assert client.post(url, {"name": "No reason", "reason": "Now", "submission_token": token}).status_code == 302
    assert Project.objects.filter(name="No reason").count() == 1
