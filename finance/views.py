"""Money pages: an item's position for a financial year (as at any date), its entry grid, a programme's
tolerance, and the import of the office's finance workbook. Each view starts with the portfolio's access helper
for the item named in the address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from changeprog.concurrency import seen_version_from
from changeprog.forms import act_once, add_service_errors, new_token
from changeprog.spreadsheets import xlsx_response
from finance import selectors, services
from finance.forms import FinanceGridForm, ToleranceForm, YearForm
from finance.years import FinancialYear
from workstreams.access import (
    MANAGE_PORTFOLIO,
    get_programme_for_user,
    get_project_for_user,
    get_workstream_for_user,
)
from workstreams.forms import AsAtForm

READERS = {"programme": get_programme_for_user, "workstream": get_workstream_for_user, "project": get_project_for_user}


def _year(request) -> tuple[FinancialYear, YearForm]:
    form = YearForm(request.GET or None)
    chosen = form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None
    return chosen or FinancialYear.of(timezone.localdate()), form


@require_GET
@login_required
def item(request, kind, pk):
    """An item's money for a financial year: budget, actuals, forecast outturn and variance by kind and month,
    rolled up from everything under it, against the programme's tolerance (and, for a programme, its approved
    business-case funding); each child's figures link to its own page. `?as_at=` shows it as it stood then;
    `?export=xlsx` downloads the item's lines in the import's columns."""
    subject, can_edit = READERS[kind](request, pk)
    year, year_form = _year(request)
    as_at_form = AsAtForm(request.GET or None)
    as_at, recorded_on = as_at_form.moment()
    moment = selectors.Moment(as_at, recorded_on) if as_at else None
    if request.GET.get("export") == "xlsx":
        return _export(subject, year)
    position, children = selectors.year_with_children(subject, year, moment=moment)
    return render(
        request,
        "finance/item.html",
        {
            "subject": subject,
            "kind": kind,
            "position": position,
            "children": children,
            "years": selectors.years_with_figures(subject),
            "year_form": year_form,
            "as_at_form": as_at_form,
            "as_at": as_at,
            "can_edit": can_edit and moment is None,
            "may_set_tolerance": kind == "programme" and request.user.has_perm(MANAGE_PORTFOLIO),
        },
        status=400 if year_form.errors or as_at_form.errors else 200,
    )


def _export(subject, year):
    from finance.importer import EXPORT_HEADERS, export_rows

    return xlsx_response(
        filename=f"changeprog-finance-{subject.code if hasattr(subject, 'code') else subject.pk}-{year.start}.xlsx",
        title="Finance",
        headers=EXPORT_HEADERS,
        rows=export_rows(subject, year),
    )


@require_http_methods(["GET", "POST"])
@login_required
def edit(request, kind, pk):
    """The entry grid of an item's own figures for a year (its children's are entered on their own pages)."""
    subject, can_edit = READERS[kind](request, pk)
    if not can_edit:
        raise PermissionDenied(f"You cannot change the figures of {subject}.")
    year, _ = _year(request)
    form = FinanceGridForm(
        request.POST or None,
        year=year,
        lines=selectors.own_lines(subject, year),
        initial={"seen_version": services.lines_version(subject)},
    )
    back = f"{reverse(f'finance:{kind}', args=[pk])}?year={year}"
    if request.method == "POST" and form.is_valid():

        def save():
            services.finance_year_save(
                subject=subject,
                year=year,
                values=form.values(),
                by=request.user,
                reason=form.cleaned_data["reason"],
                seen_version=seen_version_from(request.POST),
            )
            return back  # where a second submit of the same form is sent

        try:
            _, earlier = act_once(request, save)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if earlier is None:
                messages.success(request, f"Saved the figures of {subject} for {year}.")
            return redirect(back)
    return render(
        request,
        "finance/edit.html",
        {
            "form": form,
            "subject": subject,
            "kind": kind,
            "year": year,
            "back": back,
            "submission_token": new_token(request),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def tolerance(request, pk):
    """How far a programme's forecast may exceed its budget in a year; the programme office sets it."""
    programme, _ = get_programme_for_user(request, pk)
    if not request.user.has_perm(MANAGE_PORTFOLIO):
        raise PermissionDenied("Only the programme office sets a programme's finance tolerance.")
    held = getattr(programme, "finance_tolerance", None)
    form = ToleranceForm(
        request.POST or None,
        initial={"percent": getattr(held, "percent", None), "amount": getattr(held, "amount", None)},
    )
    back = reverse("finance:programme", args=[pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.tolerance_set(
                programme=programme,
                percent=form.cleaned_data["percent"],
                amount=form.cleaned_data["amount"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved the finance tolerance of {programme.name}.")
            return redirect(back)
    return render(
        request,
        "finance/tolerance.html",
        {"form": form, "programme": programme, "back": back, "submission_token": new_token(request)},
        status=400 if form.is_bound and form.errors else 200,
    )
