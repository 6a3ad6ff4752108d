"""Portfolio pages. Each view starts with its access helper and reads through a selector."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from changeprog import comments, custom_fields, pagecache, vocabulary
from changeprog.concurrency import StaleEdit, current_version, guarded
from changeprog.effective import Moment, day_text
from changeprog.forms import act_once, add_service_errors, form_page, new_token, query_status
from changeprog.paginators import JoinAfterLimitPaginator
from changeprog.people import person_name
from changeprog.spreadsheets import xlsx_file_response, xlsx_response
from workstreams import board as board_layout
from workstreams import changes as changes_module
from workstreams import grid as grid_module
from workstreams import history, owed, rules, selectors, services, status_rules
from workstreams import milestones as milestone_reads
from workstreams.access import (
    MANAGE_PORTFOLIO,
    can_edit_programme,
    can_record_portfolio_status,
    can_view_portfolio,
    get_programme_for_user,
    get_project_for_user,
    get_workstream_for_user,
)
from workstreams.concurrency import update_conflict, updates_version
from workstreams.filters import ProjectFilter, WorkstreamFilter
from workstreams.forms import (
    AsAtForm,
    BoardFilterForm,
    ChangesForm,
    CloseForm,
    ImportForm,
    MilestoneFilterForm,
    MilestoneForm,
    MoveForm,
    PortfolioStatusForm,
    ProgrammeForm,
    ProjectForm,
    ReasonForm,
    ReplanForm,
    ReviewForm,
    StatusUpdateForm,
    WorkstreamForm,
)
from workstreams.importer import template_workbook
from workstreams.models import (
    ImportBatch,
    ImportJob,
    Milestone,
    Portfolio,
    Programme,
    Project,
    StatusLevel,
    StatusUpdate,
    Workstream,
)
from workstreams.scales import LevelIndex
from workstreams.tables import ProjectTable, WorkstreamTable
from workstreams.tasks import start_import

TIMELINE_PAGE_SIZE = 24


@require_GET
@login_required
def programme_list(request):
    if not can_view_portfolio(request.user):
        raise PermissionDenied("You do not have a role that can see the portfolio.")
    return render(request, "workstreams/home.html", {"programmes": selectors.programmes_with_status()})


@require_GET
@login_required
def portfolios(request):
    """The portfolios above the programmes, each with its rolled-up status."""
    if not can_view_portfolio(request.user):
        raise PermissionDenied("You do not have a role that can see the portfolio.")
    rows = Portfolio.objects.select_related("owner").annotate(programme_count=Count("programmes"))
    return render(request, "workstreams/portfolios.html", {"portfolios": rows})


@require_GET
@login_required
def portfolio(request, pk):
    """A portfolio's own page: its status rolled up from its programmes (with why), the count at each level, and
    each programme with its headline, the date of its latest update and whether it is stale."""
    if not can_view_portfolio(request.user):
        raise PermissionDenied("You do not have a role that can see the portfolio.")
    found = get_object_or_404(Portfolio.objects.select_related("owner"), pk=pk)
    return render(
        request,
        "workstreams/portfolio.html",
        {
            "overview": selectors.portfolio_overview(found),
            "can_record": can_record_portfolio_status(request.user, found),
        },
    )


@login_required
def portfolio_status(request, pk):
    """Record a portfolio's own status for a day, on its scale, beside what its programmes roll up to."""
    if not can_view_portfolio(request.user):
        raise PermissionDenied("You do not have a role that can see the portfolio.")
    found = get_object_or_404(Portfolio.objects.select_related("owner", "scale"), pk=pk)
    if not can_record_portfolio_status(request.user, found):
        raise PermissionDenied("The programme office or the portfolio's owner records its status.")
    overview = selectors.portfolio_overview(found)
    scale = selectors.portfolio_status_scale(found, overview)
    levels = scale.levels.select_related("scale").order_by("severity") if scale else StatusLevel.objects.none()
    form = PortfolioStatusForm(request.POST or None, levels=levels, rollup=overview.rollup)
    return form_page(
        request,
        form,
        perform=lambda data: services.portfolio_status_record(portfolio=found, by=request.user, **data),
        success=lambda recorded: f"Status recorded for {found.name} as at {day_text(recorded.as_of)}.",
        title=f"Record the status of {found.name}",
        cancel=found.get_absolute_url(),
        template="workstreams/portfolio_status_form.html",
        context={"overview": overview, "scale": scale, "portfolio": found},
    )


# Item pages show up to two years of monthly updates as the trend.
TREND_PERIODS = 24


def _as_at(request):
    """The "as at" date asked for (None for today), and its form to show on the page."""
    form = AsAtForm(request.GET or None)
    day, _ = form.moment()
    return day, form


def _moment(request):
    """(as at, as recorded on, form) for pages that can also show what ChangeProg held on a past day."""
    form = AsAtForm(request.GET or None)
    as_at, recorded_on = form.moment()
    return as_at, recorded_on, form


def _timeline_page(request, subject, dimensions, as_of):
    updates = Paginator(selectors.status_timeline(subject, as_of=as_of), TIMELINE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    discussed = comments.counts(updates.object_list)
    for update in updates.object_list:
        update.discussion = discussed.get(update.pk, (0, 0))
    return {"timeline": selectors.timeline_rows(updates, dimensions), "page_obj": updates}


@require_GET
@login_required
def programme(request, pk):
    programme, can_edit = get_programme_for_user(request, pk)
    as_at, recorded_on, as_at_form = _moment(request)
    overview = selectors.programme_overview(programme, as_of=as_at, recorded_on=recorded_on)
    day = overview.day
    cadence = rules.cadence_for(overview.programme)
    return render(
        request,
        "workstreams/programme.html",
        {
            "programme": programme,
            "overview": overview,
            "shown": overview.programme,
            "can_edit": can_edit and as_at is None,
            "offers_grid": as_at is None
            and grid_module.offers_grid(request.user, overview.workstreams, can_edit=can_edit),
            "as_at": as_at,
            "recorded_on": recorded_on,
            "show_recorded": True,
            "as_at_form": as_at_form,
            "attention": rules.attention(overview, day, cadence),
            "cadence": cadence,
            "trend": selectors.trend(
                programme, rules.headline_dimension(overview.programme_dimensions), as_of=as_at, periods=TREND_PERIODS
            ),
            **_timeline_page(request, programme, overview.programme_dimensions, as_at),
        },
        status=query_status(as_at_form),
    )


@require_GET
@login_required
def workstream(request, pk):
    workstream, can_edit = get_workstream_for_user(request, pk)
    as_at, as_at_form = _as_at(request)
    if as_at is not None:
        workstream = history.item_as_at(Workstream, pk, history.Moment(as_at), person_field="lead")
        if workstream is None:
            raise Http404("This workstream was not yet on record on that date.")
    ws_dims, proj_dims, projects = selectors.workstream_detail(workstream, as_of=as_at)
    day, cadence = as_at or timezone.localdate(), rules.cadence_for(workstream.programme)
    for row in projects:
        row.flags = rules.item_flags(row.item, row.update, day, cadence)
    return render(
        request,
        "workstreams/workstream.html",
        {
            "workstream": workstream,
            "programme": workstream.programme,
            "can_edit": can_edit and as_at is None,
            "offers_grid": as_at is None
            and grid_module.offers_grid(
                request.user, [selectors.WorkstreamStatus(workstream, None, projects=projects)], can_edit=can_edit
            ),
            "as_at": as_at,
            "as_at_form": as_at_form,
            "dimensions": ws_dims,
            "project_dimensions": proj_dims,
            "projects": projects,
            "trend": selectors.trend(workstream, rules.headline_dimension(ws_dims), as_of=as_at, periods=TREND_PERIODS),
            "history": changes_module.item_changes(workstream, as_of=as_at),
            **_timeline_page(request, workstream, ws_dims, as_at),
        },
        status=query_status(as_at_form),
    )


@require_GET
@login_required
def project(request, pk):
    project, can_edit = get_project_for_user(request, pk)
    as_at, as_at_form = _as_at(request)
    if as_at is not None:
        project = history.item_as_at(Project, pk, history.Moment(as_at), person_field="manager")
        if project is None:
            raise Http404("This project was not yet on record on that date.")
    programme = project.workstream.programme
    _, _, proj_dims = selectors.programme_dimensions(programme, as_of=as_at)
    return render(
        request,
        "workstreams/project.html",
        {
            "project": project,
            "programme": programme,
            "can_edit": can_edit and as_at is None,
            "can_move": can_edit_programme(request.user, programme),
            "as_at": as_at,
            "as_at_form": as_at_form,
            "dimensions": proj_dims,
            "trend": selectors.trend(project, rules.headline_dimension(proj_dims), as_of=as_at, periods=TREND_PERIODS),
            "history": changes_module.item_changes(project, as_of=as_at),
            **_timeline_page(request, project, proj_dims, as_at),
        },
        status=query_status(as_at_form),
    )


SUBJECT_ACCESS = {
    "programme": get_programme_for_user,
    "workstream": get_workstream_for_user,
    "project": get_project_for_user,
}


@login_required
def record_update(request, kind, pk):
    """Record a period's status for a programme, workstream or project (those the user may change).

    The form remembers the item's updates as they were when it was opened: an update someone else records or
    corrects in the meantime is shown, and nothing is saved over it. An item has one update per date; asking
    for a date that has one offers to correct it instead.
    """
    subject, can_edit = SUBJECT_ACCESS[kind](request, pk)
    if not can_edit:
        raise PermissionDenied(f"You cannot record updates for {subject}.")
    dimensions = services.dimensions_for(subject).select_related("scale")
    # What each dimension's rule gives today, shown beside it and chosen to start from.
    suggestions = status_rules.suggest(subject, timezone.localdate())

    def make_form(data=None):
        previous = selectors.latest_update(subject)
        form = StatusUpdateForm(
            data,
            dimensions=dimensions,
            previous=previous,
            suggestions=suggestions,
            initial={"seen_version": updates_version(subject)},
        )
        return form, previous

    form, previous = make_form(request.POST or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                # One record at a time per item: the lock makes the version check and the save one step.
                type(subject).objects.select_for_update().filter(pk=subject.pk).first()
                conflict = update_conflict(subject, form.cleaned_data.get("seen_version"))
                if conflict:
                    data = request.POST.copy()
                    data["seen_version"] = updates_version(subject)
                    form, previous = make_form(data)
                    form.is_valid()
                    form.add_error(None, conflict)
                else:
                    services.status_update_submit(
                        subject=subject,
                        as_of=form.cleaned_data["as_of"],
                        ratings=form.ratings(),
                        reason=form.cleaned_data["reason"],
                        progress=form.cleaned_data["progress"],
                        next_steps=form.cleaned_data["next_steps"],
                        issues=form.cleaned_data["issues"],
                        decisions_needed=form.cleaned_data["decisions_needed"],
                        by=request.user,
                    )
        except services.DuplicateUpdate as error:
            duplicate = error.existing
            add_service_errors(form, error)
        except ValidationError as error:
            add_service_errors(form, error)
        if not form.errors:
            messages.success(request, f"Update recorded for {subject.name}.")
            if request.POST.get("then") == "next":
                return _next_item_needing_update(request, subject)
            return redirect(subject)
    return render(
        request,
        "workstreams/record_update.html",
        {"subject": subject, "kind": kind, "form": form, "previous": previous, "duplicate": duplicate},
        status=400 if form.is_bound and form.errors else 200,
    )


def _next_item_needing_update(request, subject):
    """After "Record and go to the next": the next item the user may update that owes one (their own, or for
    the programme office anyone's, in the same programme first), or the item just recorded if none is left."""
    office = request.user.has_perm(MANAGE_PORTFOLIO)
    following = owed.next_owed(timezone.localdate(), user=request.user, after=subject, office=office)
    if following is None:
        messages.info(request, "Nothing else you can update is waiting for this period's update.")
        return redirect(subject)
    return redirect(following.record_url_name, following.item.pk)


@login_required
def grid(request, kind, pk):
    """Record this period's status for many items on one page: a row per open item of the programme (or
    workstream) that the user may update, last period's levels pre-selected, saved together or not at all."""
    subject, _ = SUBJECT_ACCESS[kind](request, pk)
    today = timezone.localdate()
    row_limit = grid_module.MAX_ROWS if kind == "programme" else None
    sheet = grid_module.build_grid(subject, request.user, today, data=request.POST or None, row_limit=row_limit)
    if not sheet.rows:
        raise PermissionDenied(f"There is nothing open in {subject} that you can record updates for.")
    if sheet.too_long:
        # Too many rows to read, or to post, as one page: one grid per workstream instead.
        return render(request, "workstreams/grid_by_workstream.html", {"subject": subject, "grid": sheet})
    if request.method == "POST":

        def record():
            grid_module.record_grid(sheet, request.user)
            return subject

        try:
            _, earlier = act_once(request, record)
        except grid_module.GridInvalid:
            pass
        else:
            if earlier is not None:
                messages.info(request, "That grid had already been submitted; its updates are recorded.")
                return redirect(earlier)
            count = len(sheet.recorded)
            messages.success(request, f"{count} update{'s' if count != 1 else ''} recorded in {subject.name}.")
            return redirect(subject)
    return render(
        request,
        "workstreams/grid.html",
        {"subject": subject, "kind": kind, "grid": sheet, "submission_token": new_token(request)},
        status=400 if request.method == "POST" else 200,
    )


ACTIONS = {
    # action: (form class, title, button)
    "close": (CloseForm, "Close", "Close"),
    "deprioritise": (ReasonForm, "Deprioritise", "Deprioritise"),
    "reopen": (ReasonForm, "Reopen", "Reopen"),
    "replan": (ReplanForm, "Re-plan the end date", "Re-plan"),
    "move": (MoveForm, "Move to another workstream", "Move"),
}


def _perform(action, item, data, user):
    common = {"by": user, "reason": data["reason"], "effective": data.get("effective_date")}
    if action == "close":
        return services.item_close(
            item=item,
            closed_on=data["closed_on"],
            closure_note=data["closure_note"],
            embedding_owner=data["embedding_owner"],
            **common,
        )
    if action == "deprioritise":
        return services.item_deprioritise(item=item, **common)
    if action == "reopen":
        return services.item_reopen(item=item, **common)
    if action == "replan":
        return services.item_replan(item=item, forecast_end_date=data["forecast_end_date"], **common)
    return services.project_move(project=item, to=data["workstream"], **common)


def _save_guarded(request, form, item, *, perform, rebind):
    """Run `perform` on the locked item unless someone changed it after this form was opened
    (`changeprog.concurrency.guarded`).

    Returns the form to show: with the service's errors, or rebound on the latest version with the other
    person's change explained (the user's input kept), or error-free when the change was saved.
    """
    try:
        with transaction.atomic():
            guarded(item, form.cleaned_data.get("seen_version"), perform)
    except StaleEdit as stale:
        # The next save goes ahead over the change the user has now seen.
        data = request.POST.copy()
        data["seen_version"] = stale.version
        form = rebind(data)
        form.is_valid()
        form.add_error(None, str(stale))
    except ValidationError as error:
        add_service_errors(form, error)
    return form


@login_required
def item_action(request, kind, pk, action):
    """A lifecycle action on a workstream or project: close, deprioritise, reopen, re-plan or move."""
    item, can_edit = SUBJECT_ACCESS[kind](request, pk)
    # Moving a project restructures the programme, which is the programme office's call.
    if action == "move":
        can_edit = can_edit_programme(request.user, item.workstream.programme)
    if not can_edit:
        raise PermissionDenied(f"You cannot change {item}.")
    form_class, title, button = ACTIONS[action]
    extra = {"project": item} if action == "move" else {}
    extra["can_backdate"] = request.user.has_perm(MANAGE_PORTFOLIO)
    form = form_class(request.POST or None, initial={"seen_version": current_version(item)}, **extra)
    if request.method == "POST" and form.is_valid():
        form = _save_guarded(
            request,
            form,
            item,
            perform=lambda locked: _perform(action, locked, form.cleaned_data, request.user),
            rebind=lambda data: form_class(data, **extra),
        )
        if not form.errors:
            messages.success(request, f"{title}: done for {item.name}.")
            return redirect(item)
    return render(
        request,
        "workstreams/item_action.html",
        {"item": item, "kind": kind, "form": form, "title": title, "button": button},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_GET
@login_required
def board(request, pk):
    """The programme picture: workstreams as columns, projects as cards, what needs attention flagged. The content
    comes through the page cache (changeprog.pagecache); htmx asks for the board alone when a filter changes."""
    programme, can_edit = get_programme_for_user(request, pk)
    as_at, recorded_on, as_at_form = _moment(request)

    def build():
        overview = selectors.programme_overview(programme, as_of=as_at, recorded_on=recorded_on)
        index = LevelIndex()
        levels = selectors.levels_of(overview.headline_dimensions[2], index)
        form = BoardFilterForm(request.GET or None, overview=overview, levels=levels, flags=rules.FLAGS)
        board = board_layout.build_board(
            overview,
            day=overview.day,
            cadence=rules.cadence_for(overview.programme),
            levels=levels,
            filters=form.filters(),
            index=index,
        )
        context = {
            "programme": programme,
            "board": board,
            "filter_form": form,
            "as_at": as_at,
            "recorded_on": recorded_on,
            "show_recorded": True,
            "as_at_form": as_at_form,
            "can_edit": can_edit and as_at is None,
        }
        return context, query_status(as_at_form, form)

    return pagecache.cached_page(
        request,
        "workstreams/board.html",
        programme_id=programme.pk,
        around={"programme": programme, "as_at": as_at},
        build=build,
        vary=(can_edit,),
        part="board-content" if request.headers.get("HX-Request") else "page",
    )


@require_GET
@login_required
def changes(request, pk):
    """Every status movement and structural change between two dates, with who and why (through the page cache)."""
    programme, _ = get_programme_for_user(request, pk)

    def build():
        form = ChangesForm(request.GET or None, kinds=changes_module.KINDS)
        since, until, kind = form.window()
        found = changes_module.changes_between(programme, since, until, kinds={kind} if kind else None)
        page = Paginator(found, 100).get_page(request.GET.get("page"))
        context = {
            "programme": programme,
            "form": form,
            "since": since,
            "until": until,
            "page_obj": page,
            "total": len(found),
        }
        return context, query_status(form)

    return pagecache.cached_page(
        request, "workstreams/changes.html", programme_id=programme.pk, around={"programme": programme}, build=build
    )


@login_required
def review(request, pk):
    """Restructure the programme in one audited step (programme office only)."""
    programme, can_edit = get_programme_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied("Only the programme office can review the programme's structure.")
    workstreams, projects = selectors.programme_structure(programme)
    form = ReviewForm(request.POST or None, programme=programme, workstreams=workstreams, projects=projects)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_review(
                programme=programme,
                held_on=form.cleaned_data["held_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                close=form.cleaned_data["close"],
                open=form.cleaned_data["open"],
                moves=form.cleaned_data["moves"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Programme review recorded for {programme.name}.")
            return redirect(programme)
    return render(
        request,
        "workstreams/review.html",
        {"programme": programme, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


EDIT_FORMS = {"programme": ProgrammeForm, "workstream": WorkstreamForm, "project": ProjectForm}


def _form_kwargs(kind, request, item):
    kwargs = {"can_backdate": request.user.has_perm(MANAGE_PORTFOLIO)}
    if kind == "workstream":
        programme = item.programme if item.programme_id else None
        kwargs["can_assign_lead"] = programme is None or can_edit_programme(request.user, programme)
    return kwargs


@login_required
def edit_item(request, kind, pk):
    """Edit a programme's, workstream's or project's details, with a reason and no lost updates."""
    item, can_edit = SUBJECT_ACCESS[kind](request, pk)
    if not can_edit:
        raise PermissionDenied(f"You cannot edit {item}.")
    form_class = EDIT_FORMS[kind]
    extra = _form_kwargs(kind, request, item)
    form = form_class(request.POST or None, instance=item, initial={"seen_version": current_version(item)}, **extra)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        form = _save_guarded(
            request,
            form,
            item,
            perform=lambda locked: services.item_update(
                item=locked,
                changes=changes,
                by=request.user,
                reason=form.cleaned_data["reason"],
                effective=form.cleaned_data.get("effective_date"),
            ),
            rebind=lambda data: form_class(data, instance=type(item).objects.get(pk=item.pk), **extra),
        )
        if not form.errors:
            messages.success(request, f"Saved the changes to {item.name}.")
            return redirect(item)
    return render(
        request,
        "form_page.html",
        {"item": item, "kind": kind, "form": form, "title": f"Edit {item.name}", "cancel": item.get_absolute_url()},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def create_programme(request):
    if not request.user.has_perm(MANAGE_PORTFOLIO):
        raise PermissionDenied("Only the programme office can create programmes.")
    form = ProgrammeForm(request.POST or None, can_backdate=True)
    return form_page(
        request,
        form,
        perform=lambda data: services.programme_create(
            by=request.user, reason=data["reason"], effective=data.get("effective_date"), **form.changes()
        ),
        success=lambda programme: f"Created {programme.name}.",
        title="New programme",
        cancel=reverse("workstreams:programme_list"),
    )


def _create_in(request, parent, *, form, create, noun):
    """Create a workstream in a programme or a project in a workstream, through the given service."""
    return form_page(
        request,
        form,
        perform=lambda data: create(
            by=request.user, reason=data["reason"], effective=data.get("effective_date"), **form.changes()
        ),
        success=lambda created: f"Added the {noun} {created.name}.",
        title=f"New {noun} in {parent.name}",
        cancel=parent.get_absolute_url(),
    )


@login_required
def create_workstream(request, pk):
    programme, can_edit = get_programme_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied("Only the programme office can add workstreams.")
    new = Workstream(programme=programme)
    form = WorkstreamForm(request.POST or None, instance=new, **_form_kwargs("workstream", request, new))
    create = partial(services.workstream_create, programme=programme)
    return _create_in(request, programme, form=form, create=create, noun="workstream")


@login_required
def create_project(request, pk):
    workstream, can_edit = get_workstream_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied(f"You cannot add projects to {workstream.name}.")
    new = Project(workstream=workstream)
    form = ProjectForm(request.POST or None, instance=new, **_form_kwargs("project", request, new))
    create = partial(services.project_create, workstream=workstream)
    return _create_in(request, workstream, form=form, create=create, noun="project")


@login_required
def correct_update(request, pk):
    """Correct a recorded update: the same period, edited, with the reason in its history."""
    update = get_object_or_404(StatusUpdate.objects.select_related("programme", "workstream", "project"), pk=pk)
    kind = "programme" if update.programme_id else "workstream" if update.workstream_id else "project"
    subject, can_edit = SUBJECT_ACCESS[kind](request, update.subject.pk)
    if not can_edit:
        raise PermissionDenied(f"You cannot correct updates for {subject}.")
    update = selectors.status_timeline(subject).get(pk=pk)
    # The levels on offer are those of the scales in force on the update's own date.
    dimensions = selectors.subject_dimensions(subject, as_of=update.as_of)
    previous = selectors.status_timeline(subject, as_of=update.as_of).exclude(pk=pk).first()

    def make_form(data=None):
        return StatusUpdateForm(
            data,
            dimensions=dimensions,
            previous=previous,
            correcting=update,
            initial={"seen_version": current_version(update)},
        )

    form = make_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        form = _save_guarded(
            request,
            form,
            update,
            perform=lambda locked: services.status_update_correct(
                update=locked,
                as_of=data["as_of"],
                ratings=form.ratings(),
                reason=data["reason"],
                progress=data["progress"],
                next_steps=data["next_steps"],
                issues=data["issues"],
                decisions_needed=data["decisions_needed"],
                correction_reason=data["correction_reason"],
                by=request.user,
            ),
            rebind=make_form,
        )
        if not form.errors:
            messages.success(request, f"Corrected the update of {day_text(update.as_of)} for {subject.name}.")
            return redirect(subject)
    return render(
        request,
        "workstreams/record_update.html",
        {"subject": subject, "kind": kind, "form": form, "previous": previous, "correcting": update},
        status=400 if form.is_bound and form.errors else 200,
    )


LIST_PAGE_SIZE = 50
LISTS = {
    # kind: (queryset, filter, table, title, export columns as (header, attribute path))
    "projects": (
        selectors.projects_for_list,
        ProjectFilter,
        ProjectTable,
        "Projects",
        [
            ("Programme", "workstream.programme.code"),
            ("Workstream", "workstream.name"),
            ("Project", "name"),
            ("Manager", "manager"),
            ("Lifecycle", "get_lifecycle_display"),
            ("Stage", "stage"),
            ("Latest status", "headline_label"),
            ("Status as at", "latest_as_of"),
            ("Start", "start_date"),
            ("Baseline end", "baseline_end_date"),
            ("Forecast end", "forecast_end_date"),
            ("Planned closure", "planned_closure_date"),
            ("Closed on", "closed_on"),
            ("Embedding owner", "embedding_owner"),
            ("National programme", "national"),
        ],
    ),
    "workstreams": (
        selectors.workstreams_for_list,
        WorkstreamFilter,
        WorkstreamTable,
        "Workstreams",
        [
            ("Programme", "programme.code"),
            ("Workstream", "name"),
            ("Lead", "lead"),
            ("Lifecycle", "get_lifecycle_display"),
            ("Stage", "stage"),
            ("Latest status", "headline_label"),
            ("Status as at", "latest_as_of"),
            ("Projects", "project_count"),
            ("Start", "start_date"),
            ("Baseline end", "baseline_end_date"),
            ("Forecast end", "forecast_end_date"),
            ("Planned closure", "planned_closure_date"),
            ("Closed on", "closed_on"),
            ("Embedding owner", "embedding_owner"),
            ("National programme", "national"),
        ],
    ),
}


def _value(obj, path):
    for part in path.split("."):
        obj = getattr(obj, part) if obj is not None else None
    if callable(obj):
        obj = obj()
    if hasattr(obj, "get_full_name"):
        return person_name(obj)
    return obj


@require_GET
@login_required
def portfolio_list(request, kind):
    """A filterable, sortable, paginated list of projects or workstreams, with the organisation's own fields as
    filters and columns; `?export=xlsx` downloads the same rows."""
    if not can_view_portfolio(request.user):
        raise PermissionDenied("You do not have a role that can see the portfolio.")
    queryset, filter_class, table_class, _, columns = LISTS[kind]
    title = getattr(vocabulary.current(), kind)  # the organisation's word for them
    own = custom_fields.fields_for(kind.removesuffix("s"))
    filterset = filter_class(
        request.GET or None, queryset=custom_fields.annotate(queryset(), own), request=request, custom=own
    )
    rows = filterset.qs
    if request.GET.get("export") == "xlsx":
        rows = list(rows)
        own_headers, own_cells = custom_fields.export_columns(own, rows)
        return xlsx_response(
            filename=f"changeprog-{kind}-{timezone.localdate():%Y-%m-%d}.xlsx",
            title=title,
            headers=[header for header, _ in columns] + own_headers,
            rows=([_value(row, path) for _, path in columns] + own_cells(row) for row in rows),
        )
    people = {}
    table = table_class(rows, extra_columns=custom_fields.custom_columns(own, people))
    RequestConfig(request, paginate={"per_page": LIST_PAGE_SIZE}).configure(table)
    # The people named in person fields on this page only: one query, whatever the list's length.
    page = getattr(table, "page", None)
    people.update(custom_fields.people_named([row.custom for row in page.object_list.data] if page else [], own))
    return render(
        request,
        "workstreams/list.html",
        {"table": table, "filter": filterset, "title": title, "kind": kind},
        status=query_status(filterset.form),
    )


@login_required
def import_page(request):
    """Import an Excel tracker: the file goes to the task worker as a job (check only, or import), and the job's
    page shows its progress and then every problem by sheet, row and column, or what was imported."""
    if not can_edit_programme(request.user, None):
        raise PermissionDenied("Only the programme office imports trackers.")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = start_import(
            file_name=upload.name, content=upload.read(), by=request.user, dry_run=form.cleaned_data["dry_run"]
        )
        return redirect(job)
    return render(
        request,
        "workstreams/import.html",
        {"form": form, "batches": ImportBatch.objects.select_related("imported_by")[:10]},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def import_job(request, pk):
    """One import job: its stage while the worker runs it (the page refreshes itself), then the problems found
    or what was imported. A file that passed a check can be imported from here without uploading it again."""
    if not can_edit_programme(request.user, None):
        raise PermissionDenied("Only the programme office imports trackers.")
    job = get_object_or_404(ImportJob.objects.select_related("requested_by", "batch"), pk=pk)
    if request.method == "POST":
        if not (job.status == ImportJob.Status.DONE and job.dry_run and not job.problems and job.content):
            raise BadRequest("Only a file that passed its check can be imported from here.")
        again = start_import(file_name=job.file_name, content=bytes(job.content), by=request.user, dry_run=False)
        return redirect(again)
    template = (
        "workstreams/import_job.html#job-status" if request.headers.get("HX-Request") else "workstreams/import_job.html"
    )
    return render(request, template, {"job": job})


IMPORT_PAGE_SIZE = 100


@require_GET
@login_required
def import_batch(request, pk):
    """One tracker import: the file, who brought it in and when, and everything it made."""
    if not can_view_portfolio(request.user):
        raise PermissionDenied("You do not have a role that can see the portfolio.")
    batch = get_object_or_404(ImportBatch.objects.select_related("imported_by"), pk=pk)
    projects = Paginator(
        Project.objects.filter(import_batch=batch).select_related("workstream").order_by("workstream__name", "name"),
        IMPORT_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "workstreams/import_batch.html",
        {
            "batch": batch,
            "programmes": list(Programme.objects.filter(import_batch=batch)),
            "workstreams": list(Workstream.objects.filter(import_batch=batch).select_related("programme")),
            "page_obj": projects,
            "update_count": StatusUpdate.objects.filter(import_batch=batch).count(),
        },
    )


@login_required
def import_template(request):
    if not can_edit_programme(request.user, None):
        raise PermissionDenied("Only the programme office imports trackers.")
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return xlsx_file_response(template_workbook(), "changeprog-import-template.xlsx")


MILESTONES_PER_PAGE = 50
MILESTONE_SUBJECTS = {"programme": get_programme_for_user, "workstream": get_workstream_for_user,
                      "project": get_project_for_user}  # fmt: skip


@require_GET
@login_required
def milestones(request, pk):
    """A programme's milestones (its own, its workstreams' and its projects'), soonest due first, filtered to
    those overdue, planned, complete or for the committee; as at any date. Paginated."""
    programme, can_edit = get_programme_for_user(request, pk)
    as_at, recorded_on, as_at_form = _moment(request)
    moment = Moment(as_at, recorded_on) if as_at else None
    day = as_at or timezone.localdate()
    form = MilestoneFilterForm(request.GET or None)
    show = form.cleaned_data.get("show") if form.is_valid() else ""
    rows = milestone_reads.programme_milestones(programme, moment)
    if show in milestone_reads.SHOWN:
        rows = rows.filter(milestone_reads.SHOWN[show](day))
    elif show in ("planned", "complete"):
        rows = rows.filter(status=show)
    elif show == "committee":
        rows = rows.filter(tell_committee=True)
    page = JoinAfterLimitPaginator(rows, MILESTONES_PER_PAGE).get_page(request.GET.get("page"))
    for milestone in page.object_list:
        milestone.overdue_on_day = milestone_reads.is_overdue(milestone, day)
        milestone.item = milestone.project or milestone.workstream or milestone.programme
    return render(
        request,
        "workstreams/milestones.html",
        {
            "programme": programme,
            "page_obj": page,
            "filter_form": form,
            "as_at": as_at,
            "recorded_on": recorded_on,
            "as_at_form": as_at_form,
            "day": day,
            "can_edit": as_at is None,
            "user_can_edit_programme": can_edit,
        },
        status=query_status(form),
    )


@login_required
def milestone_create(request, kind, pk):
    """A new milestone for a programme, workstream or project, by whoever may change the item."""
    subject, can_edit = MILESTONE_SUBJECTS[kind](request, pk)
    if not can_edit:
        raise PermissionDenied(f"You cannot add milestones to {subject}.")
    form = MilestoneForm(
        request.POST or None,
        instance=Milestone(**{kind: subject}),
        can_backdate=request.user.has_perm(MANAGE_PORTFOLIO),
    )
    return form_page(
        request,
        form,
        perform=lambda data: services.milestone_save(
            form.instance, by=request.user, reason=data["reason"], effective=data.get("effective_date")
        ),
        success=lambda made: f"Milestone “{made.name}” added.",
        title=f"New milestone for {subject.name}",
        cancel=subject.get_absolute_url(),
        context={"item": subject},
    )


@login_required
def milestone_edit(request, pk):
    """Change a milestone (re-forecast it, mark it achieved, cancel it) with a reason, by whoever may change its
    item; a save over a colleague's later change is refused with what they changed."""
    milestone = get_object_or_404(Milestone.objects.select_related("programme", "workstream", "project"), pk=pk)
    kind = "project" if milestone.project_id else "workstream" if milestone.workstream_id else "programme"
    subject, can_edit = MILESTONE_SUBJECTS[kind](request, milestone.subject.pk)
    if not can_edit:
        raise PermissionDenied(f"You cannot change the milestones of {subject}.")
    form = MilestoneForm(request.POST or None, instance=milestone, can_backdate=request.user.has_perm(MANAGE_PORTFOLIO))
    return form_page(
        request,
        form,
        perform=lambda data: services.milestone_save(
            form.instance, by=request.user, reason=data["reason"], effective=data.get("effective_date")
        ),
        success=lambda saved: f"Milestone “{saved.name}” saved.",
        title=f"Milestone: {milestone.name}",
        cancel=subject.get_absolute_url(),
        context={"item": subject},
        guard=milestone,
    )


@require_GET
@login_required
def roadmap(request, kind, pk):
    """The roadmap of a programme (its workstreams) or a workstream (its projects) with their milestones across
    financial years, baseline against forecast and today's line; as at any date; a table says the same."""
    from workstreams.roadmap import roadmap as draw_roadmap

    subject, _ = MILESTONE_SUBJECTS[kind](request, pk)
    as_at, recorded_on, as_at_form = _moment(request)
    moment = Moment(as_at, recorded_on) if as_at else None
    found = draw_roadmap(subject, day=as_at or timezone.localdate(), moment=moment)
    return render(
        request,
        "workstreams/roadmap.html",
        {
            "roadmap": found,
            "subject": subject,
            "kind": kind,
            "as_at": as_at,
            "recorded_on": recorded_on,
            "as_at_form": as_at_form,
        },
        status=400 if as_at_form.errors else 200,
    )


@require_GET
@login_required
def people_search(request):
    """Suggestions for a person picker (`changeprog.people.PersonPicker`): up to twenty active people matching
    what was typed, as datalist options. Anyone who reads the portfolio, since its pages name people anyway."""
    from changeprog.people import people_matching, person_label
    from changeprog.pickers import SUGGESTIONS, typed_text

    if not can_view_portfolio(request.user):
        raise PermissionDenied("You do not have a role that can see the portfolio.")
    labels = [person_label(p) for p in people_matching(typed_text(request))[:SUGGESTIONS]]
    return render(request, "changeprog/widgets/picker_options.html", {"labels": labels})
