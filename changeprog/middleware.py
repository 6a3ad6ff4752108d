"""Middleware of the site as a whole."""

from changeprog.views import health_response

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answers `GET /healthz` before anything reads the Host header, so a load balancer probing an app server by
    its address (whatever Host it sends) gets the health of the app, not a 400 for an unknown host. First in
    MIDDLEWARE; the answer carries no data and sets no cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return health_response()
        return self.get_response(request)
