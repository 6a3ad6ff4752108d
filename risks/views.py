"""Risk pages. Each view starts with an access helper and reads through a selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from risks import selectors, services
from risks.forms import AssessmentForm
from workstreams.access import get_programme_for_user, get_project_for_user


@require_GET
@login_required
def ranking(request, pk):
    """The programme's projects by the risk of not progressing them, each with why it got its band."""
    programme, can_edit = get_programme_for_user(request, pk)
    ranked, unassessed = selectors.ranking(programme)
    return render(
        request,
        "risks/ranking.html",
        {"programme": programme, "ranked": ranked, "unassessed": unassessed, "can_edit": can_edit},
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
            services.assessment_record(
                project=project,
                scheme=scheme,
                likelihood=form.cleaned_data["likelihood"],
                impacts=form.impacts(),
                confidence=form.cleaned_data["confidence"],
                mandatory=form.cleaned_data["mandatory"],
                notes=form.cleaned_data["notes"],
                assessed_on=form.cleaned_data["assessed_on"],
                by=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Assessment recorded for {project.name}.")
            return redirect("risks:ranking", pk=project.workstream.programme_id)
    return render(
        request,
        "risks/assess.html",
        {"project": project, "form": form, "scheme": scheme, "history": history},
        status=400 if form.is_bound and form.errors else 200,
    )
