"""Every object a request names is checked, not only the one in its URL.

The access matrix (tests/test_access_matrix.py) proves who may open each page. This module goes further, as an
attacker who is allowed on a page would: a lead posts a complete, valid form that names someone else's work in
its body; each persona tries every lifecycle action on a workstream and a project with a valid body; and every
persona reads (or is refused) a published paper and its exports, which nobody may then change.
"""

from datetime import date

import pytest
from django.urls import reverse

from tests.builders import publish
from tests.factories import risk_form
from tests.world import PERSONAS, world_fixture

pytestmark = pytest.mark.django_db

world = world_fixture()


@pytest.fixture(autouse=True)
def evidence_store(settings, world):
    settings.EVIDENCE_ROOT = world["evidence_root"]
    return settings.EVIDENCE_ROOT


def risk_body(world, **extra):
    return risk_form(**{"title": "Forged", "reason": "Forged", **extra})


def benefit_body(item, **extra):
    return {
        "item": item,
        "title": "Forged benefit",
        "kind": "hours",
        "unit": "hours",
        "owner_name": "Someone",
        "baseline": 0,
        "baseline_on": "2022-04-01",
        "target": 10,
        "target_on": "2023-03-31",
        "reason": "Forged",
        **extra,
    }


def embedding_body(item, **extra):
    return {
        "item": item,
        "description": "Forged embedding",
        "owner_name": "Someone",
        "due_on": "2022-09-30",
        "status": "open",
        "reason": "Forged",
        **extra,
    }


def facts(world) -> dict:
    """Where everything the forged requests name belongs, read fresh from the database."""
    from assurance.models import Benefit, EmbeddingAction, Evidence
    from risks.models import Dependency, Risk, RiskAction
    from workstreams.models import Project, Workstream

    w = world
    return {
        "risks": sorted(Risk.objects.values_list("title", "workstream_id", "project_id", "register_id"), key=repr),
        "actions": sorted(RiskAction.objects.values_list("risk_id", "description")),
        "dependencies": sorted(
            Dependency.objects.values_list("from_project_id", "to_project_id", "description"), key=repr
        ),
        "benefits": sorted(Benefit.objects.values_list("title", "workstream_id", "project_id"), key=repr),
        "embedding": sorted(
            EmbeddingAction.objects.values_list("description", "workstream_id", "project_id"), key=repr
        ),
        "evidence": sorted(Evidence.objects.values_list("driver_id", "summary")),
        "ws_b_projects": sorted(Project.objects.filter(workstream=w["ws_b"]).values_list("name", flat=True)),
        "ws_a": Workstream.objects.values("lead_id", "programme_id", "name").get(pk=w["ws_a"].pk),
        "project_a": Project.objects.values("workstream_id", "manager_id", "name").get(pk=w["project_a"].pk),
    }


# id: (URL name, its arguments, the body lead_a posts: valid but for the reference it forges)
FORGED = {
    "a risk on their workstream naming lead B's project": (
        "risks:risk_create",
        lambda w: [w["register"].pk],
        lambda w: risk_body(w, workstream=w["ws_a"].pk, project=w["project_b"].pk),
    ),
    "a risk on lead B's workstream": (
        "risks:risk_create",
        lambda w: [w["register"].pk],
        lambda w: risk_body(w, workstream=w["ws_b"].pk),
    ),
    "their risk moved onto lead B's workstream": (
        "risks:risk_edit",
        lambda w: [w["risk_a"].pk],
        lambda w: risk_body(w, title=w["risk_a"].title, workstream=w["ws_b"].pk),
    ),
    "their risk moved onto lead B's project": (
        "risks:risk_edit",
        lambda w: [w["risk_a"].pk],
        lambda w: risk_body(w, title=w["risk_a"].title, workstream=w["ws_a"].pk, project=w["project_b"].pk),
    ),
    "a benefit for lead B's project": (
        "assurance:benefit_create",
        lambda w: [w["programme"].pk],
        lambda w: benefit_body(f"p{w['project_b'].pk}"),
    ),
    "a benefit for lead B's workstream": (
        "assurance:benefit_create",
        lambda w: [w["programme"].pk],
        lambda w: benefit_body(f"w{w['ws_b'].pk}"),
    ),
    "their benefit moved onto lead B's workstream": (
        "assurance:benefit_edit",
        lambda w: [w["benefit"].pk],
        lambda w: benefit_body(f"w{w['ws_b'].pk}", title="Hours released"),
    ),
    "an embedding action for lead B's project": (
        "assurance:embedding_create",
        lambda w: [w["programme"].pk],
        lambda w: embedding_body(f"p{w['project_b'].pk}"),
    ),
    "their embedding action moved onto lead B's workstream": (
        "assurance:embedding_edit",
        lambda w: [w["embedding"].pk],
        lambda w: embedding_body(f"w{w['ws_b'].pk}", description="Embed the new triage"),
    ),
}


@pytest.mark.parametrize("case", sorted(FORGED))
def test_a_lead_cannot_reach_someone_elses_work_through_the_form_body(client, world, case):
    name, args, body = FORGED[case]
    client.force_login(world["lead_a"])
    url = reverse(name, args=args(world))
    assert client.get(url).status_code == 200, "lead A may use this page for their own work"
    before = facts(world)
    response = client.post(url, body(world))
    # Refused outright (403), or the form says the choice is not one they may make (400).
    assert response.status_code in (400, 403), f"{case}: {response.status_code}"
    assert facts(world) == before


# id: (URL name, its arguments, a valid body with a reference the page must ignore, what must hold afterwards)
IGNORED = {
    "a project under their workstream naming lead B's in the body": (
        "workstreams:project_create",
        lambda w: [w["ws_a"].pk],
        lambda w: {"name": "Made by A", "workstream": w["ws_b"].pk, "reason": "New project"},
        lambda w, f: "Made by A" not in f["ws_b_projects"],
    ),
    "their project edited with lead B's workstream in the body": (
        "workstreams:project_edit",
        lambda w: [w["project_a"].pk],
        lambda w: {"name": "Project A", "workstream": w["ws_b"].pk, "manager": "", "reason": "Edit"},
        lambda w, f: f["project_a"]["workstream_id"] == w["ws_a"].pk,
    ),
    "their workstream edited handing it to lead B and another programme": (
        "workstreams:workstream_edit",
        lambda w: [w["ws_a"].pk],
        lambda w: {"name": "Workstream A", "order": 1, "lead": w["lead_b"].pk, "programme": 0, "reason": "Edit"},
        lambda w, f: f["ws_a"]["lead_id"] == w["lead_a"].pk and f["ws_a"]["programme_id"] == w["programme"].pk,
    ),
    "a dependency of their project claiming to be lead B's": (
        "risks:dependency_create",
        lambda w: [w["project_a"].pk],
        lambda w: {
            "from_project": w["project_b"].pk,
            "external_name": "Forged supplier",
            "external_kind": "supplier",
            "kind": "deliverable",
            "description": "Forged",
            "reason": "Forged",
        },
        lambda w, f: all(from_id != w["project_b"].pk for from_id, _, _ in f["dependencies"]),
    ),
    "their dependency edited claiming to be lead B's": (
        "risks:dependency_edit",
        lambda w: [w["dependency_a"].pk],
        lambda w: {
            "from_project": w["project_b"].pk,
            "kind": "deliverable",
            "description": "Edited",
            "status": "open",
            "reason": "Edit",
        },
        lambda w, f: all(from_id != w["project_b"].pk for from_id, _, _ in f["dependencies"]),
    ),
    "an action on their risk naming another risk": (
        "risks:action_create",
        lambda w: [w["risk_a"].pk],
        lambda w: {"description": "Forged action", "due_date": "2022-07-01", "risk": w["escalation_a"].risk_id},
        lambda w, f: all(risk_id == w["risk_a"].pk for risk_id, d in f["actions"] if d == "Forged action"),
    ),
    "evidence for a driver naming another item and driver": (
        "assurance:evidence_add",
        lambda w: [w["driver"].pk],
        lambda w: {
            "summary": "Forged evidence that is long enough to stand on its own",
            "provided_on": "2022-06-01",
            "driver": 0,
            "item": f"w{w['ws_b'].pk}",
        },
        lambda w, f: all(driver_id == w["driver"].pk for driver_id, _ in f["evidence"]),
    ),
}


@pytest.mark.parametrize("case", sorted(IGNORED))
def test_a_reference_the_page_does_not_take_from_the_body_is_ignored(client, world, case):
    name, args, body, holds = IGNORED[case]
    client.force_login(world["lead_a"])
    response = client.post(reverse(name, args=args(world)), body(world))
    assert response.status_code == 302, f"{case}: {response.status_code} {response.content.decode()[:3000]}"
    assert holds(world, facts(world)), case


# --- Lifecycle actions ---------------------------------------------------------------------------------------

OWNER = {"pmo": 302, "lead_a": 302, "lead_b": 403, "viewer": 403, "no_role": 403, None: 302}
OFFICE = {"pmo": 302, "lead_a": 403, "lead_b": 403, "viewer": 403, "no_role": 403, None: 302}


def action_body(action, w):
    common = {"reason": "Lifecycle test"}
    return (
        common
        | {
            "close": {"closed_on": "2022-06-30", "closure_note": "Delivered as planned.", "embedding_owner": "Ops"},
            "deprioritise": {},
            "reopen": {},
            "replan": {"forecast_end_date": "2023-12-31"},
            "move": {"workstream": w["ws_b"].pk},
        }[action]
    )


LIFECYCLE = [
    (kind, action, persona)
    for kind, actions in (
        ("workstream", ["close", "deprioritise", "replan", "reopen"]),
        ("project", ["close", "deprioritise", "replan", "reopen", "move"]),
    )
    for action in actions
    for persona in PERSONAS
]


@pytest.mark.parametrize(("kind", "action", "persona"), LIFECYCLE)
def test_every_lifecycle_action_is_done_only_by_those_allowed(client, world, kind, action, persona):
    """A valid body from each persona: the allowed act (a reopen first needs something closed), the rest are
    refused and nothing about the item changes."""
    from workstreams import services
    from workstreams.models import Project, Workstream

    model = Workstream if kind == "workstream" else Project
    item = world["ws_a"] if kind == "workstream" else world["project_a"]
    if action == "reopen":
        services.item_deprioritise(item=model.objects.get(pk=item.pk), by=world["pmo"], reason="To reopen")
    expected = (OFFICE if action == "move" else OWNER)[persona]
    if persona:
        client.force_login(world[persona])
    before = model.history.filter(id=item.pk).count()
    response = client.post(reverse(f"workstreams:{kind}_action", args=[item.pk, action]), action_body(action, world))
    assert response.status_code == expected, response.content.decode()[:500]
    changed = model.history.filter(id=item.pk).count() - before
    if expected == 302 and persona:
        assert response["Location"] == model.objects.get(pk=item.pk).get_absolute_url()
        assert changed == 1
    else:
        assert changed == 0
    if persona is None:
        assert response["Location"].startswith(reverse("login"))


# --- Published papers ----------------------------------------------------------------------------------------

READ = {"pmo": 200, "lead_a": 200, "lead_b": 200, "viewer": 200, "no_role": 403, None: 302}
FROZEN = {"pmo": 403, "lead_a": 403, "lead_b": 403, "viewer": 403, "no_role": 403, None: 302}


@pytest.fixture(scope="module")
def paper(world, django_db_blocker):
    """A paper published for an earlier meeting, inside the module's world (rolled back with it)."""
    from reporting import services

    with django_db_blocker.unblock():
        draft = services.report_create_draft(
            board=world["board"], programme=world["programme"], meeting_date=date(2022, 5, 1), by=world["pmo"]
        )
        return publish(draft, world["pmo"])


PUBLISHED_PAGES = {
    "reporting:report": (lambda p: [p.pk], READ),
    "reporting:report_pdf": (lambda p: [p.pk], READ),
    "reporting:report_docx": (lambda p: [p.pk], READ),
    "reporting:report_html": (lambda p: [p.pk], READ),
    "reporting:report_pptx": (lambda p: [p.pk], READ),
    "reporting:report_pack": (lambda p: [p.pk], READ),
    "reporting:report_colours": (lambda p: [p.pk], READ),
    "reporting:report_edit": (lambda p: [p.pk], FROZEN),
    "reporting:report_publish": (lambda p: [p.pk], FROZEN),
    "reporting:section_edit": (lambda p: [p.sections.first().pk], FROZEN),
}
# What each readable output is: the page names the paper; the PDF and Word files are real files.
OUTPUT_STARTS = {
    "reporting:report": b"Published",
    "reporting:report_pdf": b"%PDF-",
    "reporting:report_docx": b"PK",
    "reporting:report_html": b"<!doctype html>",
    "reporting:report_pptx": b"PK",
    "reporting:report_pack": b"Board pack",
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(PUBLISHED_PAGES))
def test_a_published_paper_is_read_by_every_role_and_changed_by_none(client, world, paper, name, persona):
    args, expected = PUBLISHED_PAGES[name]
    if persona:
        client.force_login(world[persona])
    url = reverse(name, args=args(paper))
    snapshot = paper.__class__.objects.values_list("snapshot", flat=True).get(pk=paper.pk)
    response = client.get(url)
    assert response.status_code == expected[persona], f"{name} as {persona}"
    if expected[persona] == 200:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if name == "reporting:report_colours":
            assert response["Content-Type"].startswith("text/css")
        else:
            assert body.startswith(OUTPUT_STARTS[name]) or OUTPUT_STARTS[name] in body, name
    if expected is FROZEN:
        client.post(url, {"text": "Changed after publishing", "title": "Changed", "reason": "Forged"})
        assert paper.__class__.objects.values_list("snapshot", flat=True).get(pk=paper.pk) == snapshot
        assert paper.__class__.objects.values_list("title", flat=True).get(pk=paper.pk) == paper.title


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_office_starts_a_draft_superseding_a_published_paper(client, world, paper, persona):
    from reporting.models import Report

    if persona:
        client.force_login(world[persona])
    before = Report.objects.count()
    response = client.post(reverse("reporting:report_supersede", args=[paper.pk]))
    allowed = persona == "pmo"
    assert response.status_code == (302 if allowed or persona is None else 403)
    assert Report.objects.count() == before + (1 if allowed else 0)
    assert Report.objects.get(pk=paper.pk).snapshot == paper.snapshot
