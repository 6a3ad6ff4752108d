"""A record's link, resolved once per kind of page and filled in with each id, is the link `reverse` gives."""

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from changeprog.links import link

NAMES = [
    "workstreams:portfolio",
    "workstreams:programme",
    "workstreams:workstream",
    "workstreams:project",
    "risks:risk",
    "risks:assess",
    "risks:project",
    "assurance:driver",
    "assurance:case",
    "reporting:report",
    "reporting:board",
]


@pytest.mark.parametrize("name", NAMES)
def test_a_records_link_is_the_one_reverse_gives(name):
    for pk in (1, 7, 42, 918273645, 10**12):
        assert link(name, pk) == reverse(name, args=[pk])


def test_a_site_served_under_a_prefix_links_under_it():
    set_script_prefix("/changeprog/")
    try:
        assert link("workstreams:project", 5) == reverse("workstreams:project", args=[5]) == "/changeprog/projects/5/"
    finally:
        clear_script_prefix()
    assert link("workstreams:project", 5) == "/projects/5/"


def test_no_id_or_a_pattern_without_one_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        link("workstreams:project", None)
    with pytest.raises(NoReverseMatch):
        link("risks:register_list", 3)
