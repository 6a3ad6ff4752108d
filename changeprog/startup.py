"""What an app server process does once, after Django is set up and before it serves a request."""

import gc

from django.urls import get_resolver


def settle() -> None:
    """Load every view (and what each imports), then take everything loaded out of the garbage collector's reach.

    What is loaded at start-up lives as long as the process. Left to the collector, each full pass walks it all
    again: about 100,000 objects, one pass every few pages that build many rows (20 ms of a dashboard at the large
    size). Frozen, the passes walk only what requests made; and a worker forked from a process that froze before
    forking keeps sharing those pages of memory with it (the collector no longer writes to them)."""
    get_resolver().url_patterns  # noqa: B018  # importing the URLconf imports every view
    gc.collect()
    gc.freeze()
