from django.conf import settings
from django.urls import reverse

from changeprog import vocabulary

# The main navigation: (label, URL name, other path prefixes that belong to the same part of the site). A label
# in braces is the organisation's word for it (`changeprog.vocabulary`).
NAVIGATION = [
    ("My work", "home", ()),
    ("{programmes}", "workstreams:programme_list", ()),
    ("{workstreams}", "workstreams:workstream_list", ()),
    ("{projects}", "workstreams:project_list", ()),
    ("Risks", "risks:register_list", ()),
    ("Drivers", "assurance:drivers", ()),
    ("Reports", "reporting:boards", ()),
]


def site(request):
    return {
        "protective_marking": settings.PROTECTIVE_MARKING,
        "sso_provider": settings.OIDC_PROVIDER_NAME if settings.OIDC_RP_CLIENT_ID else "",
    }


def navigation(request):
    """The main navigation with the part of the site the page belongs to marked (`aria-current="page"` on its
    link): the link whose address is the longest start of the page's path."""
    words = vocabulary.current()
    links = [
        (getattr(words, label[1:-1]) if label.startswith("{") else label, reverse(name), extra)
        for label, name, extra in NAVIGATION
    ]

    def reach(url: str, extra) -> int:
        path = request.path
        if url == "/":
            return 1 if path == "/" or any(path.startswith(p) for p in extra) else 0
        return max([len(p) for p in (url, *extra) if path.startswith(p)], default=0)

    best = max(links, key=lambda link: reach(link[1], link[2]))
    current = best[1] if reach(best[1], best[2]) else None
    return {"navigation": [{"label": label, "url": url, "current": url == current} for label, url, _ in links]}


def words(request):
    """The organisation's words for its levels and lifecycle states (`words.workstreams`, …)."""
    return {"words": vocabulary.current()}
