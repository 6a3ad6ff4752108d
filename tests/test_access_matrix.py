"""Every URL, every persona: who gets the page, who is refused, who is sent to sign in.

The matrix must declare every named URL the project serves, so a new page fails this test until its access
is decided here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.world import PERSONAS, world_fixture

pytestmark = pytest.mark.django_db

READ = {"pmo": 200, "lead_a": 200, "lead_b": 200, "viewer": 200, "no_role": 403, None: 302}
OFFICE = {"pmo": 200, "lead_a": 403, "lead_b": 403, "viewer": 403, "no_role": 403, None: 302}
OWNER = {"pmo": 200, "lead_a": 200, "lead_b": 403, "viewer": 403, "no_role": 403, None: 302}
OPEN = dict.fromkeys(PERSONAS, 200)
# Every signed-in user, with or without a role (their own password); the anonymous visitor signs in first.
SIGNED_IN = {**dict.fromkeys(PERSONAS[:-1], 200), None: 302}
# Only administrators (superusers, or holders of axes.delete_accessattempt) see and lift sign-in locks.
ADMINISTRATORS = {**dict.fromkeys(PERSONAS[:-1], 403), None: 302}
# Drafts are read only by the programme office; the page itself writes nothing.
DRAFT_READERS = dict(OFFICE)
OFFICE_READ = dict(OFFICE)  # read by the office alone, and no write: not among the forged-post checks
POST_ONLY = {**dict.fromkeys(PERSONAS[:-1], 405), None: 302}
# Evidence not yet accepted is read by the office and the owners of the work it is for (a read page, not a write).
PENDING_EVIDENCE = {"pmo": 200, "lead_a": 200, "lead_b": 403, "viewer": 403, "no_role": 403, None: 302}
CONTRIBUTORS = {"pmo": 200, "lead_a": 200, "lead_b": 200, "viewer": 403, "no_role": 403, None: 302}

# The API answers a visitor without a token or session 401 (it never redirects to a sign-in page).
API_READ = {**READ, None: 401}

# name: (how to build its arguments from the portfolio, expected status per persona)
MATRIX = {
    "home": (lambda p: [], READ),
    "reporting:my_work_next_paper": (lambda p: [], OFFICE_READ),
    "healthz": (lambda p: [], OPEN),
    "accessibility": (lambda p: [], OPEN),
    # Single sign-on is off unless configured (its browser test turns it on against a real provider).
    "oidc_authentication_init": (lambda p: [], dict.fromkeys(PERSONAS, 404)),
    "oidc_authentication_callback": (lambda p: [], dict.fromkeys(PERSONAS, 404)),
    "status-level-css": (lambda p: [], OPEN),
    "login": (lambda p: [], {**dict.fromkeys(PERSONAS[:-1], 302), None: 200}),
    "logout": (lambda p: [], {**dict.fromkeys(PERSONAS[:-1], 405), None: 302}),
    "password_change": (lambda p: [], SIGNED_IN),
    "mail_preferences": (lambda p: [], SIGNED_IN),
    "comment_thread": (lambda p: ["statusupdate", p["update_a"].pk], READ),
    # POST only; who may resolve (the author, whoever runs the record) is tested in tests/changeprog/test_comments.py.
    "comment_resolve": (lambda p: [p["comment"].pk], dict(POST_ONLY)),
    # The signed link is the credential; a link that is not one of ours is refused for everyone alike.
    "mail_unsubscribe": (lambda p: ["not-a-token"], dict.fromkeys(PERSONAS, 400)),
    "password_change_done": (lambda p: [], SIGNED_IN),
    "password_reset": (lambda p: [], OPEN),
    "password_reset_done": (lambda p: [], OPEN),
    "password_reset_confirm": (lambda p: ["MQ", "not-a-token"], OPEN),  # answers "this link cannot be used"
    "password_reset_complete": (lambda p: [], OPEN),
    "signin_locks": (lambda p: [], ADMINISTRATORS),
    "workstreams:programme": (lambda p: [p["programme"].pk], READ),
    "workstreams:workstream": (lambda p: [p["ws_a"].pk], READ),
    "workstreams:project": (lambda p: [p["project_a"].pk], READ),
    "workstreams:board": (lambda p: [p["programme"].pk], READ),
    "workstreams:changes": (lambda p: [p["programme"].pk], READ),
    "workstreams:project_list": (lambda p: [], READ),
    "workstreams:workstream_list": (lambda p: [], READ),
    "workstreams:import": (lambda p: [], OFFICE),
    "workstreams:import_template": (lambda p: [], OFFICE),
    "workstreams:import_batch": (lambda p: [p["batch"].pk], READ),
    "workstreams:import_job": (lambda p: [p["import_job"].pk], OFFICE),
    "workstreams:programme_create": (lambda p: [], OFFICE),
    "workstreams:programme_edit": (lambda p: [p["programme"].pk], OFFICE),
    "workstreams:programme_record_update": (lambda p: [p["programme"].pk], OFFICE),
    "workstreams:workstream_create": (lambda p: [p["programme"].pk], OFFICE),
    "workstreams:review": (lambda p: [p["programme"].pk], OFFICE),
    "workstreams:workstream_edit": (lambda p: [p["ws_a"].pk], OWNER),
    "workstreams:workstream_record_update": (lambda p: [p["ws_a"].pk], OWNER),
    # The grid: a row for each item the person may update; someone with none there is refused.
    "workstreams:programme_grid": (lambda p: [p["programme"].pk], CONTRIBUTORS),
    "workstreams:workstream_grid": (lambda p: [p["ws_a"].pk], OWNER),
    "workstreams:workstream_action": (lambda p: [p["ws_a"].pk, "replan"], OWNER),
    "workstreams:project_create": (lambda p: [p["ws_a"].pk], OWNER),
    "workstreams:project_edit": (lambda p: [p["project_a"].pk], OWNER),
    "workstreams:project_record_update": (lambda p: [p["project_a"].pk], OWNER),
    "workstreams:project_action": (lambda p: [p["project_a"].pk, "close"], OWNER),
    "workstreams:update_correct": (lambda p: [p["update_a"].pk], OWNER),
    "risks:ranking": (lambda p: [p["programme"].pk], READ),
    "risks:assess": (lambda p: [p["project_a"].pk], OWNER),
    "risks:register_list": (lambda p: [], READ),
    "risks:outside_appetite": (lambda p: [], READ),
    "risks:heatmap": (lambda p: [], READ),
    # A register picker's suggestions: anyone who reads the portfolio (the heat map and the register name them).
    "risks:register_search": (lambda p: [], READ),
    "risks:import": (lambda p: [], OFFICE),
    "risks:dependencies_import": (lambda p: [], OFFICE),
    "risks:assessments_import": (lambda p: [], OFFICE),
    "risks:escalations": (lambda p: [], READ),
    "risks:risk": (lambda p: [p["risk_a"].pk], READ),
    "risks:risk_create": (lambda p: [p["register"].pk], CONTRIBUTORS),
    "risks:risk_edit": (lambda p: [p["risk_a"].pk], OWNER),
    "risks:risk_review": (lambda p: [p["risk_a"].pk], OWNER),
    "risks:risk_close": (lambda p: [p["risk_a"].pk], OWNER),
    "risks:escalate": (lambda p: [p["risk_a"].pk], OWNER),
    "risks:action_create": (lambda p: [p["risk_a"].pk], OWNER),
    "risks:action_edit": (lambda p: [p["action_a"].pk], OWNER),
    "risks:escalation_decide": (lambda p: [p["escalation_a"].pk], OFFICE),
    "risks:project": (lambda p: [p["project_a"].pk], READ),
    "risks:dependency_map": (lambda p: [p["programme"].pk], READ),
    "risks:dependency_create": (lambda p: [p["project_a"].pk], OWNER),
    "risks:dependency_edit": (lambda p: [p["dependency_a"].pk], OWNER),
    "reporting:boards": (lambda p: [], READ),
    "workstreams:programme_list": (lambda p: [], READ),
    # A person picker's suggestions: anyone who reads the portfolio (its pages name people anyway).
    "workstreams:people_search": (lambda p: [], READ),
    "workstreams:portfolios": (lambda p: [], READ),
    "workstreams:portfolio": (lambda p: [p["portfolio"].pk], READ),
    "reporting:portfolio_pdf": (lambda p: [p["portfolio"].pk], READ),
    "reporting:portfolio_docx": (lambda p: [p["portfolio"].pk], READ),
    # The office and the portfolio's owner (lead_a) record its status and publish its papers; everyone reads them.
    "workstreams:portfolio_status": (lambda p: [p["portfolio"].pk], OWNER),
    "reporting:portfolio_papers": (lambda p: [p["portfolio"].pk], READ),
    # Milestones: everyone reads them; whoever may change an item adds and changes its milestones.
    "workstreams:milestones": (lambda p: [p["programme"].pk], READ),
    "workstreams:roadmap": (lambda p: [p["programme"].pk], READ),
    "workstreams:workstream_roadmap": (lambda p: [p["ws_a"].pk], READ),
    "workstreams:programme_milestone_create": (lambda p: [p["programme"].pk], OFFICE),
    "workstreams:workstream_milestone_create": (lambda p: [p["ws_a"].pk], OWNER),
    "workstreams:project_milestone_create": (lambda p: [p["project_a"].pk], OWNER),
    "workstreams:milestone_edit": (lambda p: [p["milestone_a"].pk], OWNER),
    # Money: everyone with a role reads it; an item's own figures are entered by whoever may change the item.
    "finance:programme": (lambda p: [p["programme"].pk], READ),
    "finance:workstream": (lambda p: [p["ws_a"].pk], READ),
    "finance:project": (lambda p: [p["project_a"].pk], READ),
    "finance:programme_edit": (lambda p: [p["programme"].pk], OFFICE),
    "finance:workstream_edit": (lambda p: [p["ws_a"].pk], OWNER),
    "finance:project_edit": (lambda p: [p["project_a"].pk], OWNER),
    "finance:tolerance": (lambda p: [p["programme"].pk], OFFICE),
    "finance:import": (lambda p: [], OFFICE),
    "reporting:portfolio_paper_pdf": (lambda p: [p["portfolio_paper"].pk], READ),
    "reporting:portfolio_paper_docx": (lambda p: [p["portfolio_paper"].pk], READ),
    "reporting:dashboard": (lambda p: [p["programme"].pk], READ),
    "reporting:board": (lambda p: [p["board"].pk], READ),
    "reporting:challenge_create": (lambda p: [p["published"].pk], OFFICE),
    "reporting:challenge_answer": (lambda p: [p["challenge"].pk], OFFICE),
    "reporting:report_create": (lambda p: [p["board"].pk], OFFICE),
    "reporting:report": (lambda p: [p["draft"].pk], DRAFT_READERS),
    "reporting:report_edit": (lambda p: [p["draft"].pk], OFFICE),
    "reporting:report_pdf": (lambda p: [p["draft"].pk], DRAFT_READERS),
    "reporting:report_docx": (lambda p: [p["draft"].pk], DRAFT_READERS),
    "reporting:report_html": (lambda p: [p["draft"].pk], DRAFT_READERS),
    "reporting:report_pptx": (lambda p: [p["draft"].pk], DRAFT_READERS),
    # A board pack is made from a published paper: the office is told so for a draft (tests/test_forged_references).
    "reporting:report_pack": (lambda p: [p["draft"].pk], {**DRAFT_READERS, "pmo": 400}),
    "reporting:report_colours": (lambda p: [p["draft"].pk], DRAFT_READERS),
    "reporting:section_edit": (lambda p: [p["draft"].sections.first().pk], OFFICE),
    "reporting:report_publish": (lambda p: [p["draft"].pk], OFFICE),
    "reporting:report_supersede": (lambda p: [p["draft"].pk], POST_ONLY),
    "assurance:drivers": (lambda p: [], READ),
    "assurance:driver_create": (lambda p: [], OFFICE),
    "assurance:driver": (lambda p: [p["driver"].pk], READ),
    "assurance:driver_edit": (lambda p: [p["driver"].pk], OFFICE),
    "assurance:driver_link": (lambda p: [p["driver"].pk], OFFICE),
    "assurance:link_remove": (lambda p: [p["link"].pk], OFFICE),
    "assurance:evidence_add": (lambda p: [p["driver"].pk], OWNER),
    "assurance:evidence_accept": (lambda p: [p["evidence"].pk], OFFICE),
    # Not yet accepted: only the office and the lead whose work the driver concerns (test_assurance covers accepted).
    "assurance:evidence_file": (lambda p: [p["evidence"].pk], PENDING_EVIDENCE),
    "assurance:coverage": (lambda p: [p["programme"].pk], READ),
    "assurance:cases": (lambda p: [p["programme"].pk], READ),
    "assurance:case_create": (lambda p: [p["programme"].pk], OFFICE),
    "assurance:case": (lambda p: [p["case"].pk], READ),
    "assurance:case_edit": (lambda p: [p["case"].pk], OFFICE),
    "assurance:case_decide": (lambda p: [p["case"].pk], OFFICE),
    "assurance:case_new_version": (lambda p: [p["case"].pk], OFFICE),
    "assurance:benefits": (lambda p: [p["programme"].pk], READ),
    "assurance:benefit_create": (lambda p: [p["programme"].pk], CONTRIBUTORS),
    "assurance:benefit_edit": (lambda p: [p["benefit"].pk], OWNER),
    "assurance:benefits_import": (lambda p: [], OFFICE),
    "assurance:drivers_import": (lambda p: [], OFFICE),
    "assurance:benefit_measure": (lambda p: [p["benefit"].pk], OWNER),
    "assurance:embedding": (lambda p: [p["programme"].pk], READ),
    "assurance:embedding_create": (lambda p: [p["programme"].pk], CONTRIBUTORS),
    "assurance:embedding_edit": (lambda p: [p["embedding"].pk], OWNER),
    "assurance:decisions": (lambda p: [p["programme"].pk], READ),
    "assurance:decision_create": (lambda p: [p["programme"].pk], OFFICE),
    "assurance:decision_edit": (lambda p: [p["decision"].pk], OFFICE),
    "api:token": (lambda p: [], READ),
    "api:schema": (lambda p: [], API_READ),
    "api:api-root": (lambda p: [], API_READ),
    "api:portfolio-list": (lambda p: [], API_READ),
    "api:portfolio-detail": (lambda p: [p["portfolio"].pk], API_READ),
    "api:programme-list": (lambda p: [], API_READ),
    "api:programme-detail": (lambda p: [p["programme"].pk], API_READ),
    "api:workstream-list": (lambda p: [], API_READ),
    "api:workstream-detail": (lambda p: [p["ws_a"].pk], API_READ),
    "api:project-list": (lambda p: [], API_READ),
    "api:project-detail": (lambda p: [p["project_a"].pk], API_READ),
    "api:statusupdate-list": (lambda p: [], API_READ),
    "api:statusupdate-detail": (lambda p: [p["update_a"].pk], API_READ),
    "api:risk-list": (lambda p: [], API_READ),
    "api:risk-detail": (lambda p: [p["risk_a"].pk], API_READ),
    "api:benefit-list": (lambda p: [], API_READ),
    "api:benefit-detail": (lambda p: [p["benefit"].pk], API_READ),
    "api:customfield-list": (lambda p: [], API_READ),
}
# The Django admin guards itself (staff only) and is tested through its own pages.
UNDECLARED_NAMESPACES = {"admin"}


def named_urls(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace not in UNDECLARED_NAMESPACES:
                yield from named_urls(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_named_url_has_declared_access():
    assert set(named_urls()) == set(MATRIX)


world = world_fixture()


@pytest.fixture(autouse=True)
def evidence_store(settings, world):
    """Keep the world's evidence folder (the suite's own fixture would give each test a new, empty one)."""
    settings.EVIDENCE_ROOT = world["evidence_root"]
    return settings.EVIDENCE_ROOT


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(client, world, name, persona):
    build_args, expected = MATRIX[name]
    if persona:
        client.force_login(world[persona])
    response = client.get(reverse(name, args=build_args(world)))
    assert response.status_code == expected[persona], f"{name} as {persona}"
    if expected[persona] == 302 and persona is None:
        assert response["Location"].startswith(reverse("login"))


# Every write page, with each persona it must refuse (the allowed ones are covered by each page's own tests).
REFUSED_WRITES = [
    (name, persona)
    for name, (_, expected) in sorted(MATRIX.items())
    if any(expected is kind for kind in (OFFICE, OWNER, CONTRIBUTORS, POST_ONLY))
    for persona in PERSONAS
    if expected[persona] != 200 and not (expected is POST_ONLY and persona == "pmo")
]


@pytest.mark.parametrize(("name", "persona"), REFUSED_WRITES)
def test_a_forged_post_is_refused_and_changes_nothing(client, world, name, persona):
    from django.apps import apps

    build_args, expected = MATRIX[name]
    if persona:
        client.force_login(world[persona])
    models = [
        *apps.get_app_config("workstreams").get_models(),
        *apps.get_app_config("risks").get_models(),
        *apps.get_app_config("reporting").get_models(),
        *apps.get_app_config("assurance").get_models(),
    ]
    before = {m._meta.label: m.objects.count() for m in models}
    response = client.post(reverse(name, args=build_args(world)), {"reason": "forged", "name": "Forged"})
    refused = 302 if persona is None else 403
    assert response.status_code == (refused if expected is POST_ONLY else expected[persona])
    assert {m._meta.label: m.objects.count() for m in models} == before
