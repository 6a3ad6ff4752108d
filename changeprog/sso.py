"""Single sign-on with OpenID Connect (Microsoft Entra ID or any compliant provider), through mozilla-django-oidc.

Configured from the environment (see `changeprog.settings` and docs/operations.md); off unless OIDC_RP_CLIENT_ID is
set. A person is matched by a claim (preferred_username by default), created on first sign-in with an unusable
password, and given the groups (roles) that the provider's groups claim maps to (OIDC_GROUP_MAP); each sign-in
brings the mapped groups up to date, leaving any other group an administrator gave them alone. With single sign-on
on, local passwords are kept for administrators only (LOCAL_SIGN_IN=administrators), or for everyone.
"""

import logging

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.urls import path
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

logger = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


class SignOnBackend(OIDCAuthenticationBackend):
    """People signing in through the provider."""

    def get_userinfo(self, access_token, id_token, payload):
        # Entra ID puts groups and roles in the ID token; other providers in the user-info answer. Read both.
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def _username(self, claims) -> str:
        return (claims.get(settings.OIDC_USERNAME_CLAIM) or claims.get("email") or "").strip()[:150]

    def verify_claims(self, claims):
        return bool(self._username(claims))

    def filter_users_by_claims(self, claims):
        username = self._username(claims)
        if not username:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username__iexact=username)

    def create_user(self, claims):
        user = self.UserModel(username=self._username(claims))
        user.set_unusable_password()
        return self._apply(user, claims, created=True)

    def update_user(self, user, claims):
        return self._apply(user, claims, created=False)

    def _apply(self, user, claims, *, created: bool):
        user.email = claims.get("email", user.email) or user.email
        user.first_name = (claims.get("given_name") or user.first_name)[:150]
        user.last_name = (claims.get("family_name") or user.last_name)[:150]
        user.save()
        mapping = settings.OIDC_GROUP_MAP
        if mapping:
            claimed = claims.get(settings.OIDC_GROUPS_CLAIM) or []
            if isinstance(claimed, str):
                claimed = [claimed]
            wanted = {mapping[value] for value in claimed if value in mapping}
            managed = Group.objects.filter(name__in=set(mapping.values()))
            user.groups.remove(*[g for g in managed if g.name not in wanted])
            user.groups.add(*[g for g in managed if g.name in wanted])
            missing = wanted - {g.name for g in managed}
            if missing:
                logger.warning("OIDC_GROUP_MAP names groups that do not exist: %s", ", ".join(sorted(missing)))
        logger.info("%s %s through single sign-on", "Created" if created else "Signed in", user.username)
        return user


class LocalBackend(ModelBackend):
    """Local usernames and passwords: with single sign-on on, only for administrators unless LOCAL_SIGN_IN says
    everyone."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        if enabled() and settings.LOCAL_SIGN_IN == "administrators":
            return user.is_staff or user.is_superuser
        return True


class _Configured:
    def dispatch(self, request, *args, **kwargs):
        if not enabled():
            raise Http404("Single sign-on is not set up here.")
        return super().dispatch(request, *args, **kwargs)


class AuthenticateView(_Configured, OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):
        # The parent reads the provider's settings here; they exist only when single sign-on is on.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class CallbackView(_Configured, OIDCAuthenticationCallbackView):
    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation as error:  # a stale or forged state: start again rather than fail
            logger.warning("Single sign-on callback refused: %s", error)
            return self.login_failure()


urlpatterns = [
    path("oidc/authenticate/", login_not_required(AuthenticateView.as_view()), name="oidc_authentication_init"),
    path("oidc/callback/", login_not_required(CallbackView.as_view()), name="oidc_authentication_callback"),
]
