"""Administrators manage risk schemes in the admin: a scheme in use is read-only there and gets new versions."""

import re
from datetime import date

import pytest

from risks import services
from risks.models import BandCell, RiskScheme
from risks.services import ImpactInput

pytestmark = pytest.mark.django_db


def scheme():
    return RiskScheme.objects.get(is_current=True)


def change_form_data(client, scheme):
    """The admin change form's own fields, as it renders them, ready to post back."""
    html = client.get(f"/admin/risks/riskscheme/{scheme.pk}/change/").content.decode()
    data = {}
    for name, value in re.findall(r'<input type="(?:text|number|hidden)" name="([^"]+)" value="([^"]*)"', html):
        data[name] = value
    for name in re.findall(r'<input type="checkbox" name="([^"]+)"[^>]* checked', html):
        data[name] = "on"
    for name, block in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)" selected', block)
        data[name] = selected.group(1) if selected else ""
    for name, text in re.findall(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', html, re.S):
        data[name] = text
    return data


def test_a_grid_that_leaves_a_cell_empty_is_refused_in_the_admin(client, superuser):
    client.force_login(superuser)
    current = scheme()
    data = change_form_data(client, current)
    cell = BandCell.objects.get(scheme=current, likelihood=3, impact=4)
    index = next(
        k.split("-")[1] for k, v in data.items() if k.startswith("cells-") and k.endswith("-id") and v == str(cell.pk)
    )
    data[f"cells-{index}-DELETE"] = "on"
    data["change_reason"] = "Tidy"
    response = client.post(f"/admin/risks/riskscheme/{current.pk}/change/", data)
    assert response.status_code == 200
    assert "Likelihood 3 × impact 4 has no band." in response.content.decode()
    assert BandCell.objects.filter(pk=cell.pk).exists()


def test_a_scheme_in_use_is_read_only_and_a_new_version_can_be_made(client, superuser, portfolio, pmo):
    current = scheme()
    services.assessment_record(
        project=portfolio["project_a"],
        likelihood=3,
        impacts=[ImpactInput(c, 2) for c in current.categories.all()],
        by=pmo,
        assessed_on=date(2022, 5, 31),
    )
    client.force_login(superuser)
    html = client.get(f"/admin/risks/riskscheme/{current.pk}/change/").content.decode()
    assert "View risk scheme" in html  # read-only
    response = client.post(
        "/admin/risks/riskscheme/", {"action": "make_new_version", "_selected_action": [current.pk]}, follow=True
    )
    assert "Made Corporate risk scheme v2; it is now current and can be changed." in response.content.decode()
    newer = scheme()
    assert (newer.version, newer.previous) == (2, current)
    assert "Change risk scheme" in client.get(f"/admin/risks/riskscheme/{newer.pk}/change/").content.decode()
