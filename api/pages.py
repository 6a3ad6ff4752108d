"""The API's one page: a person's own token, to create, replace or revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from rest_framework.authtoken.models import Token

from workstreams.access import can_view_portfolio


@never_cache
@login_required
def token(request):
    """Who may read the portfolio may have one API token: it reads what they may read, nothing more. Replacing
    it stops the old one at once; revoking it stops the API for them until they make another."""
    if not can_view_portfolio(request.user):
        raise PermissionDenied("You do not have a role that can see the portfolio, so the API has nothing for you.")
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("create", "revoke"):
            return render(request, "api/token.html", _context(request), status=400)
        with transaction.atomic():
            Token.objects.filter(user=request.user).delete()
            if action == "create":
                Token.objects.create(user=request.user)
        messages.success(
            request,
            "Your new API token is below; the old one, if any, no longer works."
            if action == "create"
            else "Your API token is revoked.",
        )
        return redirect("api:token")
    response = render(request, "api/token.html", _context(request))
    response.shows_a_secret = True  # never compressed (BREACH: `changeprog.middleware.CompressedTextMiddleware`)
    return response


def _context(request):
    return {"token": Token.objects.filter(user=request.user).first()}
