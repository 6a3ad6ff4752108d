"""Sign-in that cannot be turned against users (django-axes, configured in settings).

- Failures are counted per user name *and* address together, so a stream of wrong guesses locks only that pair:
  made-up names from one address lock nobody else, and a user elsewhere can still sign in.
- A lock lasts a cool-off that grows with the failures that pair has had in the last day (the first lock
  AXES_COOLOFF_MINUTES, doubling with each further run of failures, up to AXES_COOLOFF_MAX_HOURS).
- The client's address comes from X-Forwarded-For only when the request arrives from a trusted proxy
  (TRUSTED_PROXIES): the address is the right-most one in the chain that is not itself a trusted proxy.
- An administrator sees and lifts locks on the sign-in locks page.
"""

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

DAY = timedelta(days=1)


def _networks():
    return [ipaddress.ip_network(value, strict=False) for value in settings.TRUSTED_PROXIES]


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str:
    """The address that made the request (`AXES_CLIENT_IP_CALLABLE`)."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks()
    if not networks or not _trusted(remote, networks):
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(chain):
        if not _trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a forged, unreadable entry: fall back to the proxy itself
    return remote


def failures_in_last_day(username: str, ip_address: str) -> int:
    from axes.models import AccessFailureLog

    since = timezone.now() - DAY
    return AccessFailureLog.objects.filter(username=username, ip_address=ip_address, attempt_time__gte=since).count()


def cool_off_for(failures: int) -> timedelta:
    """The lock for a pair that has failed `failures` times in the last day: the base cool-off for the first run
    of AXES_FAILURE_LIMIT failures, doubling with each further run, up to the maximum."""
    runs = max(0, failures // max(settings.AXES_FAILURE_LIMIT, 1) - 1)
    minutes = settings.AXES_COOLOFF_MINUTES * (2 ** min(runs, 20))
    return min(timedelta(minutes=minutes), timedelta(hours=settings.AXES_COOLOFF_MAX_HOURS))


def cool_off(request=None) -> timedelta:
    """`AXES_COOLOFF_TIME`: the cool-off for the user name and address of this request."""
    if request is None:
        return timedelta(minutes=settings.AXES_COOLOFF_MINUTES)
    username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "") if request.method == "POST" else ""
    ip_address = getattr(request, "axes_ip_address", None) or client_ip(request)
    return cool_off_for(failures_in_last_day(username, ip_address))


def current_locks():
    """The pairs locked now, newest first (each with its user name, address, failures and when it ends)."""
    from axes.models import AccessAttempt

    return (
        AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
        .filter(expiration__expires_at__gt=timezone.now())
        .select_related("expiration")
        .order_by("-attempt_time")
    )


def unlock(*, username: str, ip_address: str) -> int:
    """Lift the lock on one pair and forget its recent failures, so its next lock starts from the base."""
    from axes.models import AccessFailureLog
    from axes.utils import reset

    AccessFailureLog.objects.filter(username=username, ip_address=ip_address).delete()
    return reset(ip=ip_address, username=username)
