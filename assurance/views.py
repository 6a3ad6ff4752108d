"""Pages for assurance and value: drivers and evidence, coverage, business cases, benefits, embedding and the
decisions log. Every view asks assurance.access (or the portfolio's rules) before it reads or writes."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms.models import construct_instance
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from assurance import access, forms, selectors, services
from assurance.figures import benefits_chart
from assurance.models import (
    Benefit,
    BusinessCase,
    Decision,
    Driver,
    DriverKind,
    DriverLink,
    EmbeddingAction,
    Evidence,
)
from changeprog import custom_fields
from changeprog.forms import form_page
from changeprog.spreadsheets import workbook_response
from workstreams.access import get_programme_for_user
from workstreams.importer.register import import_view
from workstreams.models import StatusUpdate

PAGE_SIZE = 50


# --- Drivers ------------------------------------------------------------------------------------------------


@require_GET
@login_required
def drivers(request):
    access.require_view(request)
    rows = selectors.drivers_for_list()
    kind, answered = request.GET.get("kind", ""), request.GET.get("answered", "")
    q = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    if kind in DriverKind.values:
        rows = rows.filter(kind=kind)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(reference__icontains=q) | Q(source__icontains=q))
    if answered == "no":
        rows = rows.filter(link_count=0)
    elif answered == "yes":
        rows = rows.filter(link_count__gt=0)
    if request.GET.get("export") == "xlsx":
        return _drivers_export(rows)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assurance/drivers.html",
        {
            "page_obj": page,
            "kinds": DriverKind.choices,
            "kind": kind,
            "q": q,
            "answered": answered,
            "can_manage": access.can_manage(request.user),
        },
    )


@login_required
def driver_create(request):
    access.require_manage(request)
    form = forms.DriverForm(request.POST or None)
    return form_page(
        request,
        form,
        perform=lambda data: services.driver_save(
            driver=construct_instance(form, form.instance), by=request.user, reason=data["reason"]
        ),
        success="Driver recorded.",
        title="New driver",
        cancel=reverse("assurance:drivers"),
    )


@login_required
def driver_edit(request, pk):
    access.require_manage(request)
    driver = get_object_or_404(Driver, pk=pk)
    form = forms.DriverForm(request.POST or None, instance=driver)
    return form_page(
        request,
        form,
        perform=lambda data: services.driver_save(
            driver=construct_instance(form, form.instance), by=request.user, reason=data["reason"]
        ),
        success="Driver saved.",
        title=f"Edit {driver}",
        cancel=driver.get_absolute_url(),
        guard=driver,
    )


@require_GET
@login_required
def driver(request, pk):
    access.require_view(request)
    driver = get_object_or_404(Driver, pk=pk)
    links = selectors.driver_links(driver)
    evidence = selectors.driver_evidence(driver)
    shown = [e for e in evidence if access.can_see_evidence(request.user, e, links)]
    return render(
        request,
        "assurance/driver.html",
        {
            "driver": driver,
            "work": selectors.linked_work(links),
            "evidence": shown,
            "evidence_pending": len(evidence) - len(shown),
            "history": driver.history.select_related("history_user").order_by("-history_date")[:20],
            "can_manage": access.can_manage(request.user),
            "can_add_evidence": access.can_add_evidence(request.user, links),
        },
    )


@login_required
def driver_link(request, pk):
    access.require_manage(request)
    driver = get_object_or_404(Driver, pk=pk)
    form = forms.LinkForm(request.POST or None, items=forms.programme_items())
    return form_page(
        request,
        form,
        perform=lambda data: (
            services.driver_link(
                driver=driver, item=data["item"], note=data["note"], by=request.user, reason=data["reason"]
            ).driver
        ),
        success="Linked.",
        title=f"Link work to {driver}",
        cancel=driver.get_absolute_url(),
    )


@login_required
def link_remove(request, pk):
    access.require_manage(request)
    link = get_object_or_404(DriverLink.objects.select_related("driver", "workstream", "project"), pk=pk)
    driver = link.driver

    def remove(data):
        services.driver_unlink(link=link, by=request.user, reason=data["reason"])
        return driver

    return form_page(
        request,
        forms.ReasonForm(request.POST or None),
        perform=remove,
        success=f"{link.item} no longer answers this driver.",
        title=f"Unlink {link.item} from {driver}",
        cancel=driver.get_absolute_url(),
        context={"button": "Unlink"},
        guard=link,
    )


@login_required
def evidence_add(request, pk):
    access.require_view(request)
    driver = get_object_or_404(Driver, pk=pk)
    if not access.can_add_evidence(request.user, selectors.driver_links(driver)):
        raise PermissionDenied("Only the programme office or the owners of the work that answers it add evidence.")
    form = forms.EvidenceForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        perform=lambda data: (
            services.evidence_add(
                driver=driver,
                summary=data["summary"],
                provided_on=data["provided_on"],
                link=data["link"],
                upload=data["upload"],
                by=request.user,
            ).driver
        ),
        success="Evidence added; the programme office will review it.",
        title=f"Evidence for {driver}",
        cancel=driver.get_absolute_url(),
    )


@login_required
def evidence_accept(request, pk):
    access.require_manage(request)
    evidence = get_object_or_404(Evidence.objects.select_related("driver"), pk=pk)
    form = forms.AcceptEvidenceForm(request.POST or None, initial={"accepted_on": timezone.localdate()})
    return form_page(
        request,
        form,
        perform=lambda data: (
            services.evidence_accept(evidence=evidence, on=data["accepted_on"], by=request.user).driver
        ),
        success="Evidence accepted.",
        title=f"Accept evidence for {evidence.driver}",
        cancel=evidence.driver.get_absolute_url(),
        context={"button": "Accept"},
        guard=evidence,
    )


@require_GET
@login_required
def evidence_file(request, pk):
    """The uploaded file, as a download, to those who may see the portfolio; never from a public URL."""
    access.require_view(request)
    evidence = get_object_or_404(Evidence.objects.select_related("driver"), pk=pk)
    if not access.can_see_evidence(request.user, evidence, selectors.driver_links(evidence.driver)):
        raise PermissionDenied("This evidence has not been accepted by the programme office yet.")
    if not evidence.file:
        raise Http404("This evidence has no file.")
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from the evidence store.") from None
    return FileResponse(handle, as_attachment=True, filename=evidence.file_name or evidence.file.name)


@require_GET
@login_required
def coverage(request, pk):
    programme, _ = get_programme_for_user(request, pk)
    return render(
        request, "assurance/coverage.html", {"programme": programme, "coverage": selectors.coverage(programme)}
    )


# --- Business cases -----------------------------------------------------------------------------------------


@require_GET
@login_required
def cases(request, pk):
    programme, can_edit = get_programme_for_user(request, pk)
    return render(
        request,
        "assurance/cases.html",
        {"programme": programme, "cases": selectors.programme_cases(programme), "can_manage": can_edit},
    )


def _case_perform(request, form, programme, case=None):
    def perform(data):
        fields = {name: data[name] for name in services.CASE_FIELDS}
        if case is None:
            return services.case_create(
                programme=programme,
                by=request.user,
                reason=data["reason"],
                workstreams=list(data["workstreams"]),
                funding=data["funding"],
                **fields,
            )
        return services.case_update(
            case=case,
            changes=fields,
            by=request.user,
            reason=data["reason"],
            workstreams=list(data["workstreams"]),
            funding=data["funding"],
        )

    return perform


@login_required
def case_create(request, pk):
    programme, can_edit = get_programme_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied("Only the programme office writes business cases.")
    form = forms.CaseForm(request.POST or None, programme=programme)
    return form_page(
        request,
        form,
        perform=_case_perform(request, form, programme),
        success="Business case drafted.",
        title=f"New business case for {programme.name}",
        cancel=reverse("assurance:cases", args=[programme.pk]),
    )


def _get_case(request, pk) -> tuple[BusinessCase, bool]:
    case = get_object_or_404(BusinessCase.objects.select_related("programme", "previous"), pk=pk)
    _, can_edit = get_programme_for_user(request, case.programme_id)
    return case, can_edit


@require_GET
@login_required
def case(request, pk):
    case, can_edit = _get_case(request, pk)
    return render(
        request,
        "assurance/case.html",
        {
            "case": case,
            "programme": case.programme,
            "workstreams": list(case.workstreams.order_by("order", "name")),
            "funding": list(case.funding.all()),
            "decisions": list(case.decisions.select_related("board", "recorded_by")),
            "history": case.history.select_related("history_user").order_by("-history_date")[:20],
            "next_version": BusinessCase.objects.filter(previous=case).first(),
            "can_manage": can_edit,
        },
    )


@login_required
def case_edit(request, pk):
    case, can_edit = _get_case(request, pk)
    if not can_edit:
        raise PermissionDenied("Only the programme office writes business cases.")
    if case.is_frozen:
        raise PermissionDenied(f"{case} is {case.get_status_display().lower()}; make a new version to change it.")
    form = forms.CaseForm(request.POST or None, instance=case, programme=case.programme)
    return form_page(
        request,
        form,
        perform=_case_perform(request, form, case.programme, case),
        success="Business case saved.",
        title=f"Edit {case}",
        cancel=case.get_absolute_url(),
        guard=case,
    )


@login_required
def case_decide(request, pk):
    case, can_edit = _get_case(request, pk)
    if not can_edit:
        raise PermissionDenied("Only the programme office records decisions on business cases.")
    form = forms.CaseDecisionForm(request.POST or None, case=case, initial={"on": timezone.localdate()})
    return form_page(
        request,
        form,
        perform=lambda data: services.case_decide(case=case, by=request.user, **data).case,
        success="Decision recorded.",
        title=f"Record a decision on {case}",
        cancel=case.get_absolute_url(),
        guard=case,
    )


@login_required
def case_new_version(request, pk):
    case, can_edit = _get_case(request, pk)
    if not can_edit:
        raise PermissionDenied("Only the programme office writes business cases.")
    return form_page(
        request,
        forms.ReasonForm(request.POST or None),
        perform=lambda data: services.case_new_version(case=case, by=request.user, reason=data["reason"]),
        success=lambda new: f"Version {new.version} started from version {case.version}; it needs approval again.",
        title=f"New version of {case}",
        cancel=case.get_absolute_url(),
        context={"button": "Start the new version"},
        guard=case,
    )


# --- Benefits -----------------------------------------------------------------------------------------------


def _editable_items(request, programme, model):
    """The programme's workstreams and projects on which the user may keep `model` records."""
    permission = f"assurance.change_{model._meta.model_name}"
    workstreams, projects = forms.programme_items(programme)
    return (
        [w for w in workstreams if access.can_keep(request.user, w, permission)],
        [p for p in projects if access.can_keep(request.user, p, permission)],
    )


@require_GET
@login_required
def benefits(request, pk):
    programme, can_edit = get_programme_for_user(request, pk)
    rows = selectors.programme_benefits(programme)
    if request.GET.get("export") == "xlsx":
        return _benefits_export(programme, rows)
    return render(
        request,
        "assurance/benefits.html",
        {
            "programme": programme,
            "rows": rows,
            "chart": benefits_chart(rows),
            "custom": custom_fields.table("benefit", [row.benefit for row in rows]),
            "can_add": any(_editable_items(request, programme, Benefit)),
            "editable": {
                row.benefit.pk
                for row in rows
                if access.can_keep(request.user, row.benefit.item, "assurance.change_benefit")
            },
        },
    )


def _item_form_page(request, programme, form, *, title, success, cancel, record_for=None):
    def perform(data):
        record = construct_instance(form, form.instance)
        if "custom" in data:
            record.custom = data["custom"]
        if record_for:
            record_for(record)
        services.item_record_save(record=record, item=data.get("item"), by=request.user, reason=data["reason"])
        return cancel

    # Editing an existing record is guarded against someone else's change made after the form was opened.
    guard = form.instance if getattr(form, "instance", None) is not None and form.instance.pk else None
    return form_page(request, form, perform=perform, success=success, title=title, cancel=cancel, guard=guard)


@login_required
def benefit_create(request, pk):
    programme, _ = get_programme_for_user(request, pk)
    items = _editable_items(request, programme, Benefit)
    if not any(items):
        raise PermissionDenied("You cannot add benefits to any of this programme's work.")
    form = forms.BenefitForm(request.POST or None, items=items)
    cancel = reverse("assurance:benefits", args=[programme.pk])
    return _item_form_page(request, programme, form, title="New benefit", success="Benefit added.", cancel=cancel)


def _get_item_record(request, model, pk):
    record = get_object_or_404(
        model.objects.select_related("workstream__programme", "workstream__lead", "project__workstream__lead"), pk=pk
    )
    programme, _ = get_programme_for_user(request, record.programme_id)
    if not access.can_keep(request.user, record.item, f"assurance.change_{model._meta.model_name}"):
        raise PermissionDenied("Only the programme office or the work's lead or manager can change this.")
    return record, programme


@login_required
def benefit_edit(request, pk):
    benefit, programme = _get_item_record(request, Benefit, pk)
    form = forms.BenefitForm(request.POST or None, instance=benefit, items=_editable_items(request, programme, Benefit))
    cancel = reverse("assurance:benefits", args=[programme.pk])
    return _item_form_page(request, programme, form, title=f"Edit {benefit}", success="Benefit saved.", cancel=cancel)


@login_required
def benefit_measure(request, pk):
    benefit, programme = _get_item_record(request, Benefit, pk)
    form = forms.MeasurementForm(request.POST or None, initial={"measured_on": timezone.localdate()})
    cancel = reverse("assurance:benefits", args=[programme.pk])

    def measurement(record):
        record.benefit = benefit
        record.recorded_by = request.user

    return _item_form_page(
        request,
        programme,
        form,
        title=f"Measure {benefit}",
        success="Measurement recorded.",
        cancel=cancel,
        record_for=measurement,
    )


# --- Embedding ----------------------------------------------------------------------------------------------


@require_GET
@login_required
def embedding(request, pk):
    programme, _ = get_programme_for_user(request, pk)
    actions = selectors.programme_embedding(programme)
    return render(
        request,
        "assurance/embedding.html",
        {
            "programme": programme,
            "actions": actions,
            "today": timezone.localdate(),
            "can_add": any(_editable_items(request, programme, EmbeddingAction)),
            "editable": {
                a.pk for a in actions if access.can_keep(request.user, a.item, "assurance.change_embeddingaction")
            },
        },
    )


@login_required
def embedding_create(request, pk):
    programme, _ = get_programme_for_user(request, pk)
    items = _editable_items(request, programme, EmbeddingAction)
    if not any(items):
        raise PermissionDenied("You cannot add embedding actions to any of this programme's work.")
    form = forms.EmbeddingForm(request.POST or None, items=items)
    cancel = reverse("assurance:embedding", args=[programme.pk])
    return _item_form_page(
        request, programme, form, title="New embedding action", success="Embedding action added.", cancel=cancel
    )


@login_required
def embedding_edit(request, pk):
    action, programme = _get_item_record(request, EmbeddingAction, pk)
    form = forms.EmbeddingForm(
        request.POST or None, instance=action, items=_editable_items(request, programme, EmbeddingAction)
    )
    cancel = reverse("assurance:embedding", args=[programme.pk])
    return _item_form_page(
        request, programme, form, title="Edit embedding action", success="Embedding action saved.", cancel=cancel
    )


# --- Decisions ------------------------------------------------------------------------------------------------


@require_GET
@login_required
def decisions(request, pk):
    programme, can_edit = get_programme_for_user(request, pk)
    logged = selectors.programme_decisions(programme)
    return render(
        request,
        "assurance/decisions.html",
        {
            "programme": programme,
            "decisions": logged,
            "asked": selectors.decisions_asked_in_updates(programme, [d.update_id for d in logged if d.update_id]),
            "can_manage": can_edit,
        },
    )


@login_required
def decision_create(request, pk):
    programme, can_edit = get_programme_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied("Only the programme office keeps the decisions log.")
    update = None
    initial = {}
    if request.GET.get("update"):
        asked = request.GET["update"]
        update = get_object_or_404(StatusUpdate, pk=int(asked) if asked.isdigit() else 0)
        if update.subject_programme_id != programme.pk:
            raise Http404("That update belongs to another programme.")
        initial = {"title": update.decisions_needed[:300], "needed_by": update.as_of}
    form = forms.DecisionForm(request.POST or None, initial=initial)
    form.instance.programme = programme
    form.instance.update = update
    cancel = reverse("assurance:decisions", args=[programme.pk])
    return _item_form_page(request, programme, form, title="Log a decision", success="Decision logged.", cancel=cancel)


@login_required
def decision_edit(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("programme"), pk=pk)
    programme, can_edit = get_programme_for_user(request, decision.programme_id)
    if not can_edit:
        raise PermissionDenied("Only the programme office keeps the decisions log.")
    form = forms.DecisionForm(request.POST or None, instance=decision)
    cancel = reverse("assurance:decisions", args=[programme.pk])
    return _item_form_page(request, programme, form, title=f"Edit {decision}", success="Decision saved.", cancel=cancel)


BENEFIT_EXPORT = [
    ("Workstream", lambda row: row.benefit.project.workstream.name if row.benefit.project_id else row.benefit.item.name),
    ("Project", lambda row: row.benefit.project.name if row.benefit.project_id else ""),
    ("Title", lambda row: row.benefit.title),
    ("Kind", lambda row: row.benefit.get_kind_display()),
    ("Unit", lambda row: row.benefit.unit),
    ("Owner", lambda row: row.benefit.owner_name),
    ("Baseline", lambda row: row.benefit.baseline),
    ("Baseline on", lambda row: row.benefit.baseline_on),
    ("Target", lambda row: row.benefit.target),
    ("Target on", lambda row: row.benefit.target_on),
]  # fmt: skip


def _benefits_export(programme, rows):
    """The programme's benefits and every measurement of them, in the import's own columns (so a file exported
    can be edited and brought back), with the organisation's own fields."""
    own = custom_fields.fields_for("benefit")
    own_headers, own_cells = custom_fields.export_columns(own, [row.benefit for row in rows])
    return workbook_response(
        filename=f"changeprog-benefits-{programme.code}-{timezone.localdate():%Y-%m-%d}.xlsx",
        sheets={
            "Benefits": (
                ["Programme code"] + [header for header, _ in BENEFIT_EXPORT] + own_headers,
                (
                    [programme.code] + [value(row) for _, value in BENEFIT_EXPORT] + own_cells(row.benefit)
                    for row in rows
                ),
            ),
            "Measurements": (
                ["Programme code", "Benefit", "Measured on", "Value", "Note"],
                (
                    [programme.code, row.benefit.title, m.measured_on, m.value, m.note]
                    for row in rows
                    for m in row.measurements
                ),
            ),
        },
    )


def _drivers_export(drivers):
    """The drivers listed, with a second sheet of the work that answers them, in the import's own columns (so a
    file exported can be edited and brought back)."""
    drivers = list(drivers)
    links = (
        DriverLink.objects.filter(driver__in=drivers)
        .select_related("driver", "workstream__programme", "project__workstream__programme")
        .order_by("driver__title", "pk")
    )

    def link_row(link):
        workstream = link.project.workstream if link.project_id else link.workstream
        return [link.driver.source, link.driver.reference or link.driver.title, workstream.programme.code,
                workstream.name, link.project.name if link.project_id else "", link.note]  # fmt: skip

    return workbook_response(
        filename=f"changeprog-drivers-{timezone.localdate():%Y-%m-%d}.xlsx",
        sheets={
            "Drivers": (
                ["Kind", "Title", "Source", "Reference", "Issued on", "Description"],
                ([d.get_kind_display(), d.title, d.source, d.reference, d.issued_on, d.description] for d in drivers),
            ),
            "Links": (
                ["Source", "Driver", "Programme code", "Workstream", "Project", "Note"],
                (link_row(link) for link in links),
            ),
        },
    )


benefits_import = import_view(
    "assurance.importer.BenefitsImport", slug="benefits", back="workstreams:programme_list", back_label="Programmes"
)
drivers_import = import_view(
    "assurance.importer.DriversImport", slug="drivers", back="assurance:drivers", back_label="Drivers"
)
