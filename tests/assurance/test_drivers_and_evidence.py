"""Drivers, the work that answers them, and the evidence: kept with history, under the portfolio's rights."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assurance import services
from assurance.models import Driver, DriverLink, Evidence
from assurance.storage import evidence_storage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% closure report\n"


@pytest.fixture
def driver(portfolio, pmo):
    driver = services.driver_save(
        driver=Driver(kind="recommendation", title="Missing people reviews", source="HMICFRS PEEL"),
        by=pmo,
        reason="From the inspection",
    )
    services.driver_link(driver=driver, item=portfolio["ws_a"], by=pmo, reason="Workstream A answers it")
    return driver


def upload(name="closure.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


def post_evidence(client, driver, **fields):
    data = {"summary": "Closure report for the inspectorate", "provided_on": "2022-05-31", **fields}
    return client.post(reverse("assurance:evidence_add", args=[driver.pk]), data)


def test_the_workstream_lead_adds_evidence_and_the_history_names_them(client, driver, lead_a):
    client.force_login(lead_a)
    response = post_evidence(client, driver, upload=upload())
    assert response.status_code == 302
    evidence = Evidence.objects.get(driver=driver)
    assert (evidence.file_name, evidence.added_by, evidence.accepted) == ("closure.pdf", lead_a, False)
    row = evidence.history.get()
    assert (row.history_user, row.history_change_reason) == (lead_a, "Evidence added")


def test_a_lead_of_other_work_cannot_add_evidence(client, driver, lead_b):
    client.force_login(lead_b)
    assert post_evidence(client, driver).status_code == 403
    assert not Evidence.objects.exists()


def test_only_the_programme_office_accepts_evidence_and_it_is_recorded(client, driver, pmo, lead_a):
    evidence = services.evidence_add(driver=driver, summary="Closure report", provided_on=date(2022, 5, 31), by=lead_a)
    url = reverse("assurance:evidence_accept", args=[evidence.pk])
    client.force_login(lead_a)
    assert client.post(url, {"accepted_on": "2022-06-10"}).status_code == 403
    client.force_login(pmo)
    assert client.post(url, {"accepted_on": "2022-06-10"}).status_code == 302
    evidence.refresh_from_db()
    assert (evidence.accepted_by, evidence.accepted_on) == (pmo, date(2022, 6, 10))
    assert evidence.history.first().history_change_reason == "Evidence accepted"


def test_linking_and_unlinking_work_keep_who_and_why(client, driver, portfolio, pmo):
    client.force_login(pmo)
    response = client.post(
        reverse("assurance:driver_link", args=[driver.pk]),
        {"item": f"p{portfolio['project_b'].pk}", "note": "Delivers the new process", "reason": "Agreed at board"},
    )
    assert response.status_code == 302
    link = DriverLink.objects.get(driver=driver, project=portfolio["project_b"])
    response = client.post(reverse("assurance:link_remove", args=[link.pk]), {"reason": "Scope moved"})
    assert response.status_code == 302
    reasons = list(
        DriverLink.history.filter(id=link.pk)
        .order_by("history_id")
        .values_list("history_change_reason", "history_type")
    )
    assert reasons == [("Agreed at board", "+"), ("Scope moved", "-")]


def test_linking_the_same_work_twice_is_refused_with_a_message(client, driver, portfolio, pmo):
    client.force_login(pmo)
    response = client.post(
        reverse("assurance:driver_link", args=[driver.pk]),
        {"item": f"w{portfolio['ws_a'].pk}", "reason": "Again"},
    )
    assert response.status_code == 400
    assert "That workstream already answers this driver." in response.content.decode()
    assert DriverLink.objects.filter(driver=driver).count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "is not a file type ChangeProg keeps as evidence"),
        ("report.pdf", b"<html>not a pdf</html>", "does not look like a PDF file"),
        ("notes.txt", b"text\x00with a null", "is not a plain text file"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_saved(client, driver, pmo, name, content, message):
    client.force_login(pmo)
    response = post_evidence(client, driver, upload=upload(name, content))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_file_over_the_limit_is_refused(client, driver, pmo, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(pmo)
    response = post_evidence(client, driver, upload=upload(content=PDF + b"x" * 2048))
    assert response.status_code == 400
    assert "evidence files are limited to 1.0\xa0KB" in response.content.decode()
    assert not Evidence.objects.exists()


def test_files_are_kept_outside_the_web_root_under_a_random_name(driver, pmo, evidence_store, settings):
    evidence = services.evidence_add(
        driver=driver, summary="Closure report", provided_on=date(2022, 5, 31), upload=upload(), by=pmo
    )
    path = evidence_store / evidence.file.name
    assert path.read_bytes() == PDF
    assert "closure" not in evidence.file.name  # the person's file name is never used as a path
    assert not str(path).startswith(str(settings.STATIC_ROOT))
    with pytest.raises(ValueError):
        evidence_storage().url(evidence.file.name)  # no public URL exists


@pytest.mark.parametrize(("persona", "status"), [("viewer", 200), ("lead_b", 200), ("no_role", 403), (None, 302)])
def test_accepted_evidence_is_served_only_to_those_who_may_see_the_work(client, request, driver, pmo, persona, status):
    evidence = services.evidence_add(
        driver=driver, summary="Closure report", provided_on=date(2022, 5, 31), upload=upload(), by=pmo
    )
    services.evidence_accept(evidence=evidence, on=date(2022, 6, 1), by=pmo)
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("assurance:evidence_file", args=[evidence.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"] == 'attachment; filename="closure.pdf"'


@pytest.mark.parametrize(("persona", "status"), [("pmo", 200), ("lead_a", 200), ("viewer", 403), ("lead_b", 403)])
def test_evidence_not_yet_accepted_is_seen_by_the_office_and_the_work_owners_only(
    client, request, driver, pmo, persona, status
):
    evidence = services.evidence_add(
        driver=driver, summary="Draft closure report", provided_on=date(2022, 5, 31), upload=upload(), by=pmo
    )
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("assurance:evidence_file", args=[evidence.pk])).status_code == status
    page = client.get(driver.get_absolute_url()).content.decode()
    if status == 200:
        assert "Draft closure report" in page
    else:
        assert "Draft closure report" not in page and "1 item of evidence awaits the programme office" in page


def test_evidence_can_be_shown_before_acceptance_where_configured(client, driver, pmo, viewer, settings):
    settings.EVIDENCE_VISIBLE_BEFORE_ACCEPTANCE = True
    evidence = services.evidence_add(
        driver=driver, summary="Draft closure report", provided_on=date(2022, 5, 31), upload=upload(), by=pmo
    )
    client.force_login(viewer)
    assert client.get(reverse("assurance:evidence_file", args=[evidence.pk])).status_code == 200


def test_the_coverage_view_lists_a_driver_nothing_answers_and_work_that_answers_no_driver(
    client, driver, portfolio, pmo, viewer
):
    orphan = services.driver_save(
        driver=Driver(kind="plan-priority", title="Tackle violence", source="Police and Crime Plan"),
        by=pmo,
        reason="The plan",
    )
    client.force_login(viewer)
    page = client.get(reverse("assurance:coverage", args=[portfolio["programme"].pk])).content.decode()
    unanswered = page[page.index("Drivers nothing answers") : page.index("Work closed, no evidence")]
    assert orphan.title in unanswered and driver.title not in unanswered
    projects = page[page.index("Open projects that answer no driver") :]
    assert "Project B" in projects and "Project A" not in projects  # A answers through its workstream
    workstreams = page[page.index("Open workstreams that answer no driver") : page.index("Open projects")]
    assert "Workstream B" in workstreams and "Workstream A" not in workstreams


def test_evidence_cannot_be_dated_in_the_future(client, driver, pmo):
    client.force_login(pmo)
    response = post_evidence(client, driver, provided_on="2999-01-01")
    assert response.status_code == 400
    assert "Evidence cannot be dated in the future." in response.content.decode()
