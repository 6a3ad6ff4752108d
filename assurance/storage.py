"""Where uploaded evidence lives: outside the web root, never served by the web server or whitenoise, only by
a view that checks who is asking."""

import os
import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="assurance.storage.EvidenceStorage")
class EvidenceStorage(FileSystemStorage):
    """Files under EVIDENCE_ROOT, read from the settings each time (so tests can point it elsewhere), with no
    URL: `url()` refuses, because only the evidence view may hand a file out."""

    @property
    def base_location(self):
        return str(settings.EVIDENCE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None  # FileSystemStorage.url() then refuses: these files have no public address


def evidence_storage():
    """The evidence store: `STORAGES["evidence"]` (EVIDENCE_STORAGE; by default an `EvidenceStorage`), so several
    app servers can share one store, a volume or an S3-compatible bucket (docs/operations.md)."""
    from django.core.files.storage import storages

    return storages["evidence"]


def evidence_upload_to(instance, filename: str) -> str:
    """A random name under the driver's folder: the person's file name is kept on the record, never trusted as
    a path."""
    suffix = PurePath(filename).suffix.lower()
    return f"driver-{instance.driver_id}/{secrets.token_hex(16)}{suffix}"
