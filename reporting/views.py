"""Board and report pages. Drafts render from the live data; published reports only from their snapshot."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assurance.selectors import decisions_asked, evidence_owed
from changeprog import comments, pagecache
from changeprog.drawing import colour_pairs_stylesheet
from changeprog.forms import add_service_errors, form_page, query_status
from reporting import mywork, outputs, quality, services
from reporting.access import can_manage_reports, get_report_for_user, require_view
from reporting.compose import compose, figures_beside
from reporting.dashboard import build_dashboard
from reporting.figures import colour_stylesheet
from reporting.forms import (
    AnswerForm,
    ChallengeForm,
    NewReportForm,
    PackForm,
    PortfolioPublishForm,
    PublishForm,
    ReportHeaderForm,
    SectionForm,
)
from reporting.models import Board, Challenge, Edition, PortfolioPaper, ReportSection, ReportStatus
from risks.views import heat_map_svg
from workstreams.access import can_record_portfolio_status, can_view_portfolio, get_programme_for_user
from workstreams.forms import AsAtForm
from workstreams.models import Portfolio, StatusLevel
from workstreams.owed import owed_by_programme, updates_owed


@require_GET
@login_required
def boards(request):
    require_view(request)
    return render(request, "reporting/boards.html", {"boards": Board.objects.select_related("template")})


@require_GET
@login_required
def board(request, pk):
    require_view(request)
    board = get_object_or_404(Board.objects.select_related("template"), pk=pk)
    reports = board.reports.select_related("programme", "published_by", "created_by")
    manage = can_manage_reports(request.user)
    if not manage:
        reports = reports.exclude(status=ReportStatus.DRAFT)
    return render(request, "reporting/board.html", {"board": board, "reports": reports, "can_manage": manage})


@login_required
def report_create(request, pk):
    require_view(request)
    board = get_object_or_404(Board, pk=pk)
    if not can_manage_reports(request.user):
        raise PermissionDenied("Only the programme office prepares reports.")
    return form_page(
        request,
        NewReportForm(request.POST or None),
        perform=lambda data: services.report_create_draft(board=board, by=request.user, **data),
        success=lambda report: f"Draft started for {board.name}. The narrative sections start from a suggested draft.",
        title=f"New report for {board.name}",
        cancel=board.get_absolute_url(),
    )


@require_GET
@login_required
def report(request, pk):
    report, can_edit = get_report_for_user(request, pk)

    def document():
        # The document is the costly part (a draft is composed from the data), so it comes through the page cache.
        composed = report.snapshot if report.is_frozen else compose(report)
        return render_to_string("reporting/document.html", {"report": report, "document": composed}, request), 200

    # A published paper's document is its snapshot, which never changes; a draft's moves with its programme.
    document_html, _ = pagecache.fragment(
        request,
        "reporting/document.html",
        programme_id=pagecache.FROZEN if report.is_frozen else report.programme_id,
        render=document,
    )
    sections = list(report.sections.all()) if can_edit else []
    return render(
        request,
        "reporting/report.html",
        {
            "report": report,
            "document_html": document_html,
            "can_edit": can_edit,
            "sections": sections,
            "can_manage": can_manage_reports(request.user),
            "history": report.history.select_related("history_user").order_by("-history_date", "-history_id")[:20],
            "stored": report.artefacts.defer("content").order_by("edition", "format") if report.is_frozen else [],
            "published_line": outputs.published_line(report) if report.is_frozen else "",
            "challenges": report.challenges.select_related("answered_by", "recorded_by") if report.is_frozen else [],
            **(comments.thread_context(request.user, report) if can_manage_reports(request.user) else {}),
        },
    )


def _editable(request, pk):
    report, can_edit = get_report_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied(
            f"{report} cannot be edited." if report.is_frozen else "Only the programme office edits reports."
        )
    return report


@login_required
def section_edit(request, pk):
    section = get_object_or_404(ReportSection.objects.select_related("report__board", "report__programme"), pk=pk)
    _editable(request, section.report_id)
    suggestion = services.section_suggestion(section)
    start_from_suggestion = suggestion is not None and request.GET.get("suggest") == "1"
    form = SectionForm(request.POST or None, initial={"text": suggestion if start_from_suggestion else section.text})
    return form_page(
        request,
        form,
        perform=lambda data: services.report_section_update(section=section, text=data["text"], by=request.user).report,
        success=f"Saved {section.heading}.",
        title=f"{section.heading}",
        cancel=section.report.get_absolute_url(),
        guard=section,
        template="reporting/section_form.html",
        context={
            "section": section,
            "suggestion": suggestion,
            "start_from_suggestion": start_from_suggestion,
            "comparison": line_diff(section.text, suggestion) if suggestion is not None else [],
            "figures": figures_beside(section),
        },
    )


def line_diff(words: str, suggestion: str) -> list[tuple[str, str]]:
    """The office's words against a fresh suggestion, line by line: ("same" | "removed" | "added", line); empty
    when they are the same."""
    import difflib

    ops = {" ": "same", "-": "removed", "+": "added"}
    lines = [
        (ops[line[0]], line[2:])
        for line in difflib.ndiff(words.strip().splitlines(), suggestion.strip().splitlines())
        if line[0] in ops and line[2:].strip()
    ]
    return lines if any(op != "same" for op, _ in lines) else []


@login_required
def report_edit(request, pk):
    report = _editable(request, pk)
    form = ReportHeaderForm(request.POST or None, instance=report)
    return form_page(
        request,
        form,
        perform=lambda data: services.report_update(
            report=report,
            changes={k: v for k, v in data.items() if k != "reason"},
            by=request.user,
            reason=data["reason"],
        ),
        success="Saved the report's details.",
        title=f"Details of {report.title}",
        cancel=report.get_absolute_url(),
        guard=report,
    )


@login_required
def report_publish(request, pk):
    """Publish after the data-quality gate: each group of findings is fixed or acknowledged first."""
    report = _editable(request, pk)
    found = quality.findings(report)
    form = PublishForm(request.POST if request.method == "POST" else None, findings=found)
    if request.method == "POST" and form.is_valid():
        try:
            published = services.report_publish(report=report, by=request.user, acknowledged=form.acknowledged())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Published {report} as version {published.version}. It is now frozen as shown, and its PDF, "
                "Word, slides and HTML are stored as issued.",
            )
            return redirect(report)
    return render(
        request,
        "reporting/publish.html",
        {"report": report, "findings": found, "form": form, "shown": quality.ITEMS_SHOWN},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@login_required
def report_supersede(request, pk):
    report, _ = get_report_for_user(request, pk)
    if not can_manage_reports(request.user):
        raise PermissionDenied("Only the programme office prepares reports.")
    try:
        draft = services.report_supersede(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    messages.success(request, "A new draft has been started to supersede the published report.")
    return redirect(draft)


def export_filename(report) -> str:
    return slugify(f"{report.board.name} {report.meeting_date:%Y-%m} {report.title}")


@require_GET
@login_required
def report_output(request, pk, fmt):
    """A report's output as a download. A published or superseded paper's is the bytes stored when it was
    published (or marked superseded), with their SHA-256 as the ETag; `?edition=issued` gives a superseded
    paper as it was issued. A draft's is rendered now from the live data and says DRAFT on every page."""
    report, _ = get_report_for_user(request, pk)
    spec = outputs.FORMATS[fmt]
    edition = request.GET.get("edition") or None
    if edition not in (None, *Edition.values):
        raise BadRequest(f"“{edition[:40]}” is not an edition of a paper: ask for {' or '.join(Edition.values)}.")
    if report.is_frozen:
        stored = services.artefact(report, fmt, edition)
        content, digest = bytes(stored.content), stored.sha256
        suffix = "-as-issued" if edition == Edition.ISSUED and report.status == ReportStatus.SUPERSEDED else ""
    else:
        content = outputs.render(outputs.stamped(compose(report), outputs.draft_stamp(report)), fmt)
        digest, suffix = outputs.sha256(content), "-draft"
    response = HttpResponse(content, content_type=spec["content_type"])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(report)}{suffix}.{spec["extension"]}"'
    response["ETag"] = f'"{digest}"'
    response["X-Content-SHA256"] = digest
    return response


@require_GET
@login_required
def portfolio_paper(request, pk, fmt):
    """A portfolio's summary paper (PDF or Word), made now from the data (`reporting.portfolio_paper`)."""
    from reporting.portfolio_paper import portfolio_document

    if not can_view_portfolio(request.user):
        raise PermissionDenied("You do not have a role that can see the portfolio.")
    portfolio = get_object_or_404(Portfolio.objects.select_related("owner"), pk=pk)
    spec = outputs.FORMATS[fmt]
    content = outputs.render(portfolio_document(portfolio), fmt)
    response = HttpResponse(content, content_type=spec["content_type"])
    name = slugify(f"{portfolio.code} {portfolio.name} summary {timezone.localdate():%Y-%m-%d}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{spec["extension"]}"'
    return response


PORTFOLIO_PAPERS_PER_PAGE = 20


@require_http_methods(["GET", "POST"])
@login_required
def portfolio_papers(request, pk):
    """A portfolio's published summary papers, newest first; the programme office or its owner publishes the next
    one here (`services.portfolio_paper_publish`). Published papers never change."""
    if not can_view_portfolio(request.user):
        raise PermissionDenied("You do not have a role that can see the portfolio.")
    portfolio = get_object_or_404(Portfolio.objects.select_related("owner"), pk=pk)
    may_publish = can_record_portfolio_status(request.user, portfolio)
    if request.method == "POST" and not may_publish:
        raise PermissionDenied("The programme office or the portfolio's owner publishes its papers.")
    papers = Paginator(
        PortfolioPaper.objects.filter(portfolio=portfolio)
        .select_related("published_by")
        .only("title", "addressed_to", "pdf_sha256", "docx_sha256", "published_at", "published_by", "portfolio_id")
        .order_by("-published_at", "-pk"),
        PORTFOLIO_PAPERS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    context = {"portfolio": portfolio, "page_obj": papers, "may_publish": may_publish}
    title = f"Papers of {portfolio.name}"
    if not may_publish:
        return render(request, "reporting/portfolio_papers.html", {**context, "title": title})
    return form_page(
        request,
        PortfolioPublishForm(request.POST or None),
        perform=lambda data: services.portfolio_paper_publish(
            portfolio=portfolio, by=request.user, addressed_to=data["addressed_to"]
        ),
        success=lambda paper: f"Published “{paper.title}”; its PDF and Word are kept as they are now.",
        title=title,
        cancel=portfolio.get_absolute_url(),
        template="reporting/portfolio_papers.html",
        context=context,
    )


@require_GET
@login_required
def portfolio_paper_file(request, pk, fmt):
    """A published portfolio paper's PDF or Word: the bytes kept when it was published, with their SHA-256."""
    if not can_view_portfolio(request.user):
        raise PermissionDenied("You do not have a role that can see the portfolio.")
    paper = get_object_or_404(PortfolioPaper.objects.only(fmt, f"{fmt}_sha256", "title", "published_at"), pk=pk)
    spec, digest = outputs.FORMATS[fmt], getattr(paper, f"{fmt}_sha256")
    response = HttpResponse(bytes(getattr(paper, fmt)), content_type=spec["content_type"])
    name = slugify(f"{paper.title} {timezone.localtime(paper.published_at):%Y-%m-%d}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{spec["extension"]}"'
    response["ETag"] = f'"{digest}"'
    response["X-Content-SHA256"] = digest
    return response


@require_GET
@login_required
def report_pack(request, pk):
    """A board pack: the published paper and the chosen appendices as one PDF, with contents and page numbers
    through the whole. The page asks which appendices; `?make=1` makes the PDF."""
    report, _ = get_report_for_user(request, pk)
    if not report.is_frozen:
        raise BadRequest("A board pack is made from a published paper; publish this draft first.")
    form = PackForm(request.GET if "make" in request.GET else None)
    if form.is_bound and form.is_valid():
        from reporting.pack import render_pack

        content = render_pack(report, form.cleaned_data["appendix"])
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{export_filename(report)}-board-pack.pdf"'
        return response
    return render(
        request,
        "reporting/pack_form.html",
        {"report": report, "form": form, "title": f"Board pack: {report.title}"},
        status=400 if form.is_bound else 200,
    )


@require_GET
@login_required
def my_work(request):
    """What the signed-in person owes and by when: updates due on the work they lead or manage, and risk
    reviews and actions due within a fortnight or overdue; for the programme office, every item still owing an
    update, and the next paper (its publish gate's findings come from `my_work_next_paper` once the page is shown).
    Anyone with a portfolio role."""
    require_view(request)
    today = timezone.localdate()
    office = can_manage_reports(request.user)
    return render(
        request,
        "reporting/my_work.html",
        {
            "today": today,
            "mine": updates_owed(today, user=request.user),
            "reviews": mywork.reviews_due(request.user, today),
            "actions": mywork.actions_due(request.user, today),
            "evidence": evidence_owed(request.user),
            "decisions": decisions_asked(request.user),
            "office": office,
            "everyone": owed_by_programme(today) if office else [],
            "paper": mywork.next_draft(today) if office else None,
        },
    )


@require_GET
@login_required
def my_work_next_paper(request):
    """My work's next paper with its publish gate's findings, for the programme office: the gate composes the
    paper, so My work shows first and fetches this section after (a link to the gate stands in without script).
    Through the page cache, kept until anything in the paper's programme changes."""
    require_view(request)
    if not can_manage_reports(request.user):
        raise PermissionDenied("The next paper's publish gate is the programme office's.")
    paper = mywork.next_draft(timezone.localdate())

    def next_paper():
        context = {"paper": paper, "gate": mywork.gate(paper) if paper else []}
        return render_to_string("reporting/my_work.html#next-paper", context, request), 200

    if paper is None:
        html, status = next_paper()
    else:
        html, status = pagecache.fragment(
            request, "my-work-next-paper", programme_id=paper.programme_id, vary=(paper.pk,), render=next_paper
        )
    return HttpResponse(html, status=status)


@require_GET
@login_required
def dashboard(request, pk):
    """The executive dashboard: the programme's status, trend, attention lists, risks and what changed since
    the last meeting on one page; every figure links to the items behind it."""
    programme, _ = get_programme_for_user(request, pk)
    as_at_form = AsAtForm(request.GET or None)
    as_at, _ = as_at_form.moment()

    def build():
        dash = build_dashboard(programme, day=as_at or timezone.localdate(), as_at=as_at)
        context = {
            "programme": programme,
            "dash": dash,
            "as_at": as_at,
            "as_at_form": as_at_form,
            "heat_map": heat_map_svg(dash.heat_rows, which="current", register=dash.register),
        }
        return context, query_status(as_at_form)

    return pagecache.cached_page(
        request,
        "reporting/dashboard.html",
        programme_id=programme.pk,
        around={"programme": programme, "as_at": as_at},
        build=build,
    )


@require_GET
@login_required
def report_colours(request, pk):
    """The status colours of one report as a stylesheet: the page carries no inline style, and a published
    report keeps the colours it was published with."""
    report, _ = get_report_for_user(request, pk)
    if report.is_frozen:
        css = colour_stylesheet(report.snapshot)
    else:  # a draft shows today's levels: every level's colours, without composing the whole report again
        css = colour_pairs_stylesheet(StatusLevel.objects.values_list("colour", "text_colour").distinct())
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, max-age=60" if not report.is_frozen else "private, max-age=86400"
    return response


@login_required
def challenge_create(request, pk):
    """Record a committee's challenge of a published paper (the programme office)."""
    report, _ = get_report_for_user(request, pk)
    if not can_manage_reports(request.user):
        raise PermissionDenied("Only the programme office records the committee's challenges.")
    if not report.is_frozen:
        raise PermissionDenied("A challenge is recorded against a published paper; this one is still a draft.")
    return form_page(
        request,
        ChallengeForm(request.POST or None),
        perform=lambda data: services.challenge_record(report=report, by=request.user, **data).report,
        success="Challenge recorded.",
        title=f"Record a challenge of {report.title}",
        cancel=report.get_absolute_url(),
    )


@login_required
def challenge_answer(request, pk):
    """Answer (or revise the answer to) a challenge; a stale form is refused with who changed it."""
    challenge = get_object_or_404(Challenge.objects.select_related("report"), pk=pk)
    get_report_for_user(request, challenge.report_id)
    if not can_manage_reports(request.user):
        raise PermissionDenied("Only the programme office answers the committee's challenges.")
    initial = {"answer": challenge.answer, "answered_on": challenge.answered_on or timezone.localdate()}
    form = AnswerForm(request.POST or None, initial=initial, revising=challenge.answered)
    return form_page(
        request,
        form,
        perform=lambda data: services.challenge_answer(challenge=challenge, by=request.user, **data).report,
        success="Answer saved.",
        title=f"Answer the challenge at minute {challenge.minute_reference}",
        cancel=challenge.report.get_absolute_url(),
        guard=challenge,
        context={"lead": f"{challenge.raised_by} asked: {challenge.question}"},
    )
