"""Middleware of the site as a whole."""

from django.middleware.gzip import GZipMiddleware

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


class NullCharacterMiddleware:
    """A NUL character is never a meaningful part of a query string or form, and PostgreSQL refuses it in text:
    a request carrying one is answered 400 before any view reads it (forms refuse it too; this covers views
    that read a parameter directly)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.core.exceptions import BadRequest

        for params in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
            for key, values in params.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    raise BadRequest("The request contained a character that is not allowed (NUL).")
        return self.get_response(request)


class ServiceRefusalMiddleware:
    """A service's refusal (a ValidationError) that a view did not turn into a message on its form is still a
    refusal, not a server error: it is answered 400 with the reason, on the site's own page. Views show service
    errors next to their fields; this is the net under them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import ValidationError
        from django.shortcuts import render

        # Services write in their own transactions, which the exception has already rolled back.
        if not isinstance(exception, ValidationError):
            return None
        return render(request, "400.html", {"exception": " ".join(exception.messages)}, status=400)


class CompressedTextMiddleware(GZipMiddleware):
    """Pages, JSON and other text go out gzip-compressed to a browser that accepts it; files that are already
    compressed (PDF, Word, Excel, images) go out as they are. BREACH, the attack that reads a secret from the size
    of compressed pages that also reflect an attacker's input, is answered three ways (docs/operations.md):
    Django pads every compressed response with random bytes ("Heal The Breach"), the CSRF token is masked afresh
    in every page, and a page that shows a secret (the API token page) sets `shows_a_secret` and is never
    compressed."""

    COMPRESSED = ("text/", "application/json", "application/javascript", "image/svg+xml")

    def process_response(self, request, response):
        kind = response.get("Content-Type", "")
        if not kind.startswith(self.COMPRESSED) or getattr(response, "shows_a_secret", False):
            return response
        return super().process_response(request, response)
