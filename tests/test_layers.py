"""The layers docs/architecture.md describes hold in the code: each app imports only the apps below it."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# An app and the apps it may import. The core knows no app; demo, at the top, may use them all.
BELOW = {
    "changeprog": set(),
    "workstreams": {"changeprog"},
    "risks": {"changeprog", "workstreams"},
    "assurance": {"changeprog", "workstreams"},
    "finance": {"changeprog", "workstreams", "assurance"},
    "reporting": {"changeprog", "workstreams", "risks", "assurance", "finance"},
    "api": {"changeprog", "workstreams", "risks", "assurance", "finance", "reporting"},
    "demo": {"changeprog", "workstreams", "risks", "assurance", "finance", "reporting"},
}
# The site's URLconf mounts every app's URLs and its home page; it is the top of the site, not part of the core.
SITE_FILES = {"changeprog/urls.py"}


def imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
    return found & set(BELOW)


@pytest.mark.parametrize("app", sorted(BELOW))
def test_an_app_imports_only_the_layers_below_it(app):
    wrong = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative or relative in SITE_FILES:
            continue
        above = imported_apps(path) - BELOW[app] - {app}
        if above:
            wrong[relative] = sorted(above)
    assert wrong == {}, f"{app} imports apps above it: {wrong}"


def test_the_site_stylesheet_colours_levels_and_bands_from_the_data(client, pmo):
    from risks.models import RiskBand
    from workstreams.models import StatusLevel

    level, band = StatusLevel.objects.first(), RiskBand.objects.first()
    css = client.get("/status-levels.css").content.decode()
    assert f".level-{level.pk} {{ background-color: {level.colour}; color: {level.text_colour}; }}" in css
    assert f".risk-band-{band.pk} {{ background-color: {band.colour}; color: {band.text_colour}; }}" in css
