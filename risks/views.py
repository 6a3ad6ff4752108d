"""Risk pages. Each view starts with an access helper and reads through a selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from changeprog import comments, custom_fields
from changeprog.drawing import to_svg
from changeprog.forms import act_once, add_service_errors, form_page, new_token, query_status
from changeprog.paginators import CountedPaginator
from changeprog.pickers import SUGGESTIONS, typed_text
from changeprog.spreadsheets import workbook_response, xlsx_response
from risks import selectors, services
from risks.access import can_decide_for, can_raise_risk, get_risk_for_user, may_open_raise_form, require_view
from risks.drawing import dependency_map_figure, heat_map_figure
from risks.filters import RiskFilter
from risks.forms import (
    ActionForm,
    AssessmentForm,
    DecisionForm,
    DependencyForm,
    EscalateForm,
    HeatMapForm,
    RiskCloseForm,
    RiskForm,
    RiskReviewForm,
)
from risks.models import Dependency, Escalation, PriorityAssessment, Register, Risk, RiskAction, RiskStatus
from risks.pickers import register_label, registers_matching
from risks.tables import RiskTable, ranked_rows
from workstreams.access import get_programme_for_user, get_project_for_user
from workstreams.importer.register import import_view


@require_GET
@login_required
def ranking(request, pk):
    """The programme's projects by the risk of not progressing them, each with why it got its band."""
    programme, can_edit = get_programme_for_user(request, pk)
    if request.GET.get("export") == "xlsx":
        return _assessments_export(programme)
    ranked, unassessed = selectors.ranking(programme)
    return render(
        request,
        "risks/ranking.html",
        {
            "programme": programme,
            "ranked": ranked,
            "rows": ranked_rows(ranked, can_edit=can_edit),
            "unassessed": unassessed,
            "can_edit": can_edit,
        },
    )


@login_required
def assess(request, pk):
    """Assess (or re-assess) a project against the corporate risk categories."""
    project, can_edit = get_project_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied(f"You cannot assess {project.name}.")
    scheme = selectors.scheme_for_form(services.current_scheme())
    history = selectors.assessment_history(project)
    previous = history[0][0] if history else None
    form = AssessmentForm(request.POST or None, scheme=scheme, previous=previous)
    if request.method == "POST" and form.is_valid():
        try:
            _, earlier = act_once(
                request,
                lambda: services.assessment_record(
                    project=project,
                    scheme=scheme,
                    likelihood=form.cleaned_data["likelihood"],
                    impacts=form.impacts(),
                    confidence=form.cleaned_data["confidence"],
                    mandatory=form.cleaned_data["mandatory"],
                    notes=form.cleaned_data["notes"],
                    assessed_on=form.cleaned_data["assessed_on"],
                    by=request.user,
                ),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if earlier is None:
                messages.success(request, f"Assessment recorded for {project.name}.")
            return redirect("risks:ranking", pk=project.workstream.programme_id)
    return render(
        request,
        "risks/assess.html",
        {
            "project": project,
            "form": form,
            "scheme": scheme,
            "history": history,
            "submission_token": new_token(request),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- The register --------------------------------------------------------------------------------------------

REGISTER_PAGE_SIZE = 50
EXPORT_COLUMNS = [
    ("Reference", lambda r: r.reference),
    ("Register", lambda r: r.register.name),
    ("Title", lambda r: r.title),
    ("Cause", lambda r: r.cause),
    ("Event", lambda r: r.event),
    ("Effect", lambda r: r.effect),
    ("Category", lambda r: r.category.name),
    ("Owner", lambda r: (r.owner.get_full_name() or r.owner.get_username()) if r.owner else ""),
    ("Inherent score", lambda r: r.inherent_score_db),
    ("Current score", lambda r: r.current_score_db),
    ("Current band", lambda r: r.band_name),
    ("Target score", lambda r: r.target_score_db),
    ("Target date", lambda r: r.target_date),
    ("Response", lambda r: r.get_response_display()),
    ("Status", lambda r: r.get_status_display()),
    ("Last reviewed", lambda r: r.last_reviewed_on),
    ("Next review due", lambda r: r.next_review_due),
    ("Outside appetite", lambda r: "Yes" if r.outside_appetite else "No"),
    ("Review overdue", lambda r: "Yes" if r.review_overdue else "No"),
    ("Action overdue", lambda r: "Yes" if r.action_overdue else "No"),
]


def _every_open_risk(filterset) -> bool:
    """Whether the list is every open risk: valid, and filtered by nothing but the open status."""
    if not filterset.form.is_valid():
        return False
    chosen = {name: value for name, value in filterset.form.cleaned_data.items() if value not in (None, "", [], ())}
    return chosen == {"status": RiskStatus.OPEN}


def _register_page(request, *, title, preset=None):
    require_view(request)
    data = request.GET.copy()
    data.setdefault("status", "open")
    for name, value in (preset or {}).items():
        data[name] = value
    own = custom_fields.fields_for("risk")
    rows = custom_fields.annotate(selectors.register_rows(), own)
    filterset = RiskFilter(data, queryset=rows, request=request, custom=own)
    rows = filterset.qs
    if request.GET.get("export") == "register":
        return _register_workbook(list(rows), own)
    if request.GET.get("export") == "xlsx":
        rows = list(rows)
        own_headers, own_cells = custom_fields.export_columns(own, rows)
        return xlsx_response(
            filename=f"changeprog-risks-{timezone.localdate():%Y-%m-%d}.xlsx",
            title="Risks",
            headers=[h for h, _ in EXPORT_COLUMNS] + own_headers,
            rows=([value(r) for _, value in EXPORT_COLUMNS] + own_cells(r) for r in rows),
        )
    people = {}
    table = RiskTable(rows, extra_columns=custom_fields.custom_columns(own, people))
    # Every open risk (the register's default) is counted from the counts the database keeps, not row by row.
    count = selectors.open_risk_count() if _every_open_risk(filterset) else None
    paginate = {"per_page": REGISTER_PAGE_SIZE, "paginator_class": CountedPaginator, "count": count}
    RequestConfig(request, paginate=paginate).configure(table)
    page = getattr(table, "page", None)
    people.update(custom_fields.people_named([r.custom for r in page.object_list.data] if page else [], own))
    registers = Register.objects.all()
    return render(
        request,
        "risks/register.html",
        {"table": table, "filter": filterset, "title": title, "preset": preset or {}, "registers": registers},
    )


@require_GET
@login_required
def register_list(request):
    """The risk register: every register's risks, filtered, sorted, paginated, and downloadable."""
    return _register_page(request, title="Risk register")


@require_GET
@login_required
def outside_appetite(request):
    """Open risks whose current score is above their category's tolerance."""
    return _register_page(request, title="Risks outside appetite", preset={"flag": "outside-appetite"})


@require_GET
@login_required
def heatmap(request):
    """A 5 × 5 heat map of risks (current, inherent or target), each cell linking to its risks."""
    require_view(request)
    form = HeatMapForm(request.GET or None)
    which, register = form.chosen()
    scheme = services.current_scheme()
    rows = selectors.heat_map(selectors.open_cell_counts(which, register), scheme)
    return render(
        request,
        "risks/heatmap.html",
        {
            "heat_map": heat_map_svg(rows, which=which, register=register),
            "which": which,
            "register": register,
            "form": form,
            "scheme": scheme,
        },
        status=query_status(form),
    )


@require_GET
@login_required
def register_search(request):
    """Suggestions for a register picker (`risks.pickers.RegisterPicker`): up to twenty registers whose code or
    name holds what was typed. Anyone who reads the portfolio, since the heat map and the register name them."""
    require_view(request)
    labels = [register_label(r) for r in registers_matching(typed_text(request))[:SUGGESTIONS]]
    return render(request, "changeprog/widgets/picker_options.html", {"labels": labels})


@require_GET
@login_required
def risk_detail(request, pk):
    risk, can_edit = get_risk_for_user(request, pk)
    escalations = list(risk.escalations.select_related("to_register"))
    return render(
        request,
        "risks/risk.html",
        {
            "risk": risk,
            "can_edit": can_edit,
            "history": selectors.score_history(risk),
            "actions": risk.actions.select_related("owner"),
            "escalations": escalations,
            "contributors": risk.contributors.select_related("register"),
            "can_decide": any(can_decide_for(request.user, e.to_register) for e in escalations),
            "today": timezone.localdate(),
            **comments.thread_context(request.user, risk),
        },
    )


@login_required
def risk_create(request, pk):
    """Raise a risk in a register."""
    require_view(request)
    register = get_object_or_404(Register.objects.select_related("programme", "project__workstream"), pk=pk)
    if not may_open_raise_form(request.user, register):
        raise PermissionDenied(f"You cannot raise risks in {register}.")
    scheme = selectors.scheme_for_form(services.current_scheme())
    form = RiskForm(request.POST or None, scheme=scheme, register=register, initial={"raised_on": timezone.localdate()})

    def raise_risk(data):
        data = dict(data)
        if not can_raise_risk(request.user, register, workstream=data.get("workstream"), project=data.get("project")):
            raise PermissionDenied(f"You cannot raise risks in {register} for that item.")
        scores = services.Scores(
            *((data.pop(f"{k}_likelihood"), data.pop(f"{k}_impact")) for k in services.SCORE_KINDS)
        )
        reason = data.pop("reason") or "Risk raised"
        return services.risk_raise(register=register, scores=scores, by=request.user, reason=reason, **data)

    return form_page(
        request,
        form,
        perform=raise_risk,
        success=lambda risk: f"Raised {risk.reference}.",
        title=f"Raise a risk in {register}",
        cancel=register.get_absolute_url(),
    )


def _risk_form(request, pk, *, verb, make_form, perform, success, guard="risk"):
    """A form on one risk that only those who may edit it may use."""
    risk, can_edit = get_risk_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied(f"You cannot {verb.lower()} {risk.reference}.")
    return form_page(
        request,
        make_form(risk),
        perform=lambda data: perform(risk, data),
        success=success(risk),
        title=f"{verb} {risk.reference}",
        cancel=risk.get_absolute_url(),
        # The record the form changes (the risk itself, or one of its actions); adding to it is not guarded.
        guard=risk if guard == "risk" else guard,
        context={"risk": risk, "context_template": "risks/includes/risk_context.html"},
    )


@login_required
def risk_edit(request, pk):
    return _risk_form(
        request,
        pk,
        verb="Edit",
        make_form=lambda risk: RiskForm(
            request.POST or None, instance=risk, scheme=selectors.scheme_for_form(risk.scheme), register=risk.register
        ),
        perform=lambda risk, data: _update_risk(request, risk, data),
        success=lambda risk: f"Saved {risk.reference}.",
    )


def _update_risk(request, risk, data):
    # An edit may not move a risk onto work the user could not raise it for.
    if not can_raise_risk(
        request.user,
        risk.register,
        workstream=data.get("workstream"),
        project=data.get("project"),
        permission="risks.change_risk",
    ):
        raise PermissionDenied(f"You cannot move {risk.reference} onto that work.")
    changes = {k: v for k, v in data.items() if k != "reason"}
    return services.risk_update(risk=risk, changes=changes, by=request.user, reason=data["reason"])


@login_required
def risk_review(request, pk):
    return _risk_form(
        request,
        pk,
        verb="Review",
        make_form=lambda risk: RiskReviewForm(request.POST or None, risk=risk),
        perform=lambda risk, data: services.risk_review(risk=risk, by=request.user, **data),
        success=lambda risk: f"Review recorded for {risk.reference}.",
    )


@login_required
def risk_close(request, pk):
    return _risk_form(
        request,
        pk,
        verb="Close",
        make_form=lambda risk: RiskCloseForm(request.POST or None),
        perform=lambda risk, data: services.risk_close(risk=risk, by=request.user, **data),
        success=lambda risk: f"Closed {risk.reference}.",
    )


@login_required
def action_create(request, pk):
    def add(risk, data):
        services.action_add(risk=risk, by=request.user, **{k: data[k] for k in ("description", "owner", "due_date")})
        return risk

    return _risk_form(
        request,
        pk,
        verb="Add an action to",
        make_form=lambda risk: ActionForm(request.POST or None),
        perform=add,
        success=lambda risk: f"Action added to {risk.reference}.",
        guard=None,
    )


@login_required
def action_edit(request, pk):
    action = get_object_or_404(RiskAction, pk=pk)

    def update(risk, data):
        changes = {k: data[k] for k in ("description", "owner", "due_date", "status")}
        services.action_update(action=action, changes=changes, by=request.user, reason=data["reason"])
        return risk

    return _risk_form(
        request,
        action.risk_id,
        verb="Update an action on",
        make_form=lambda risk: ActionForm(request.POST or None, instance=action),
        perform=update,
        success=lambda risk: f"Action updated on {risk.reference}.",
        guard=action,
    )


# --- Escalation ----------------------------------------------------------------------------------------------


@login_required
def escalate(request, pk):
    """Propose a risk for the next register up, with the scheme's reasons for doing so shown."""
    risk, can_edit = get_risk_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied(f"You cannot escalate {risk.reference}.")
    form = EscalateForm(request.POST or None)
    target = services.escalation_target(risk)
    if request.method == "POST" and form.is_valid():
        try:
            services.escalation_propose(risk=risk, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Proposed {risk.reference} for {target}.")
            return redirect(risk)
    return render(
        request,
        "risks/escalate.html",
        {"risk": risk, "form": form, "target": target, "suggested": services.escalation_suggested(risk)},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_GET
@login_required
def escalations(request):
    """Escalations waiting for a decision, and the latest decisions."""
    require_view(request)
    rows = Escalation.objects.select_related(
        "risk__register", "to_register", "proposed_by", "decided_by", "linked_risk__register"
    )
    return render(
        request,
        "risks/escalations.html",
        {"waiting": rows.filter(status="proposed"), "decided": rows.exclude(status="proposed")[:50]},
    )


@login_required
def escalation_decide(request, pk):
    """The receiving register's owner accepts (linking it) or returns an escalated risk."""
    require_view(request)
    escalation = get_object_or_404(
        Escalation.objects.select_related("risk__register", "risk__category", "to_register", "proposed_by"), pk=pk
    )
    if not can_decide_for(request.user, escalation.to_register):
        raise PermissionDenied(f"Only the owner of {escalation.to_register} decides on risks escalated to it.")
    form = DecisionForm(request.POST or None, register=escalation.to_register)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                services.escalation_accept(
                    escalation=escalation,
                    by=request.user,
                    decision_reason=data["decision_reason"],
                    link_to=data["link_to"],
                    new_title=data["new_title"],
                )
            else:
                services.escalation_return(
                    escalation=escalation, by=request.user, decision_reason=data["decision_reason"]
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Decision recorded for {escalation.risk.reference}.")
            return redirect(escalation.risk)
    return render(
        request,
        "risks/decide.html",
        {"escalation": escalation, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- Dependencies --------------------------------------------------------------------------------------------


@require_GET
@login_required
def project_risks(request, pk):
    """A project's prioritisation, the risks that concern it, and its dependencies both ways."""
    project, can_edit = get_project_for_user(request, pk)
    depends_on, depended_on_by = selectors.project_dependencies(project)
    risks = Risk.objects.filter(Q(project=project) | Q(register__project=project)).select_related(
        "register", "category"
    )
    return render(
        request,
        "risks/project.html",
        {
            "project": project,
            "can_edit": can_edit,
            "depends_on": depends_on,
            "depended_on_by": depended_on_by,
            "risks": risks,
            "assessments": selectors.assessment_history(project)[:5],
            "today": timezone.localdate(),
        },
    )


@login_required
def dependency_create(request, pk):
    project, can_edit = get_project_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied(f"You cannot record dependencies for {project.name}.")
    back = reverse("risks:project", args=[project.pk])

    def add(data):
        data = dict(data)
        reason = data.pop("reason") or "Dependency recorded"
        services.dependency_add(from_project=project, by=request.user, reason=reason, **data)
        return back

    return form_page(
        request,
        DependencyForm(request.POST or None, project=project),
        perform=add,
        success=f"Dependency recorded for {project.name}.",
        title=f"What {project.name} depends on",
        cancel=back,
    )


@login_required
def dependency_edit(request, pk):
    dependency = get_object_or_404(Dependency.objects.select_related("from_project"), pk=pk)
    project, can_edit = get_project_for_user(request, dependency.from_project_id)
    if not can_edit:
        raise PermissionDenied(f"You cannot change dependencies of {project.name}.")
    back = reverse("risks:project", args=[project.pk])

    def update(data):
        changes = {k: data[k] for k in ("kind", "description", "owner", "needed_by", "status")}
        services.dependency_update(dependency=dependency, changes=changes, by=request.user, reason=data["reason"])
        return back

    return form_page(
        request,
        DependencyForm(request.POST or None, instance=dependency, project=project),
        perform=update,
        success="Dependency updated.",
        title=f"Update a dependency of {project.name}",
        cancel=back,
        guard=dependency,
    )


@require_GET
@login_required
def dependency_map(request, pk):
    """The programme's dependencies drawn on the server: projects by workstream, and what lies outside."""
    programme, _ = get_programme_for_user(request, pk)
    if request.GET.get("export") == "xlsx":
        return _dependencies_export(programme)
    workstreams, nodes, edges = selectors.dependency_map(programme, today=timezone.localdate())
    return render(
        request,
        "risks/dependency_map.html",
        {
            "programme": programme,
            "map": to_svg(
                dependency_map_figure(
                    workstreams,
                    nodes,
                    edges,
                    caption=f"Dependencies between the projects of {programme.name}, and on things outside it",
                ),
                css_class="dependency-map",
                title_id="map-title",
            ),
            "edges": edges,
        },
    )


def heat_map_svg(rows, *, which: str, register=None, caption=""):
    """The heat map for a page: each cell links to the register filtered to its risks."""
    base = reverse("risks:register_list")
    where = f"&register={register.pk}" if register else ""

    def link(likelihood, impact):
        return f"{base}?which={which}&likelihood={likelihood}&impact={impact}{where}"

    figure = heat_map_figure(
        rows,
        caption=caption or f"Heat map of {which} risk scores: likelihood up the side, impact along the bottom",
        cell=64,
        link=link,
    )
    return to_svg(figure, css_class="heatmap", title_id="heatmap-title")


def _dependencies_export(programme):
    """Every dependency of the programme's projects, in the import's own columns (so a file exported can be
    edited and brought back)."""
    rows = (
        Dependency.objects.filter(from_project__workstream__programme=programme)
        .select_related("from_project__workstream", "to_project", "owner")
        .order_by("from_project__name", "pk")
    )
    return xlsx_response(
        filename=f"changeprog-dependencies-{programme.code}-{timezone.localdate():%Y-%m-%d}.xlsx",
        title="Dependencies",
        headers=["Programme code", "Workstream", "Project", "Depends on project", "Depends on outside",
                 "Outside kind", "Kind", "Description", "Owner", "Needed by", "Status"],
        rows=(
            [programme.code, d.from_project.workstream.name, d.from_project.name,
             d.to_project.name if d.to_project_id else "", d.external_name, d.get_external_kind_display(),
             d.get_kind_display(), d.description, d.owner.get_username() if d.owner_id else "", d.needed_by,
             d.get_status_display()]
            for d in rows
        ),
    )  # fmt: skip


def _assessments_export(programme):
    """Every prioritisation assessment of the programme's projects (earlier ones too), in the import's own
    columns: a category's impact is blank where an assessment was made on another scheme without it."""
    from risks.importer import AssessmentsImport

    categories = AssessmentsImport.categories()
    rows = (
        PriorityAssessment.objects.filter(project__workstream__programme=programme)
        .select_related("project__workstream")
        .prefetch_related("impacts")
        .order_by("project__name", "assessed_on", "pk")
    )

    def line(a):
        impacts = {i.category_id: i.impact for i in a.impacts.all()}
        return [programme.code, a.project.workstream.name, a.project.name, a.assessed_on, a.likelihood,
                a.get_confidence_display(), "Yes" if a.mandatory else "No", a.notes,
                *[impacts.get(c.pk) for c in categories]]  # fmt: skip

    return xlsx_response(
        filename=f"changeprog-assessments-{programme.code}-{timezone.localdate():%Y-%m-%d}.xlsx",
        title="Assessments",
        headers=[c.header for c in AssessmentsImport.sheet_columns()["Assessments"]],
        rows=(line(a) for a in rows),
    )


def _register_workbook(risks, own):
    """The risks listed and their actions in the import's own columns (Risks and Actions sheets), so the office
    can edit a register in Excel and bring new risks and actions back."""
    from risks.importer import SCORE_COLUMNS, RiskRegisterImport

    own_headers, own_cells = custom_fields.export_columns(own, risks)
    actions = (
        RiskAction.objects.filter(risk__in=risks).select_related("risk__register", "owner").order_by("risk", "due_date")
    )
    columns = RiskRegisterImport.sheets

    def risk_row(r):
        scores = [getattr(r, f"{kind}_{part}") for kind, part, _ in SCORE_COLUMNS]
        return [r.register.code, r.title, r.category.name, r.cause, r.event, r.effect,
                r.owner.get_username() if r.owner_id else "", r.workstream.name if r.workstream_id else "",
                r.project.name if r.project_id else "", *scores, r.target_date, r.get_proximity_display(),
                r.get_response_display(), r.raised_on] + own_cells(r)  # fmt: skip

    return workbook_response(
        filename=f"changeprog-risk-register-{timezone.localdate():%Y-%m-%d}.xlsx",
        sheets={
            "Risks": ([c.header for c in columns["Risks"]] + own_headers, (risk_row(r) for r in risks)),
            "Actions": (
                [c.header for c in columns["Actions"]],
                ([a.risk.register.code, a.risk.reference, a.description, a.owner.get_username() if a.owner_id else "",
                  a.due_date, a.get_status_display(), a.completed_on] for a in actions),
            ),
        },
    )  # fmt: skip


register_import = import_view(
    "risks.importer.RiskRegisterImport", slug="risk-register", back="risks:register_list", back_label="Risk register"
)
dependencies_import = import_view(
    "risks.importer.DependenciesImport", slug="dependencies", back="workstreams:programme_list", back_label="Programmes"
)
assessments_import = import_view(
    "risks.importer.AssessmentsImport", slug="assessments", back="workstreams:programme_list", back_label="Programmes"
)
