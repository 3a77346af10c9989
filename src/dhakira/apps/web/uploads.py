"""Uploads without plaintext on disk, and with a hard size cap.

Django's own handlers keep an upload in memory up to 2.5 MB and write anything larger, in
the clear, to ``/tmp/*.upload``. This handler is the only one installed
(``FILE_UPLOAD_HANDLERS``): each file streams into the encrypted intake spool
(:func:`dhakira.apps.evidence._common.spool`), and a request larger than ``UPLOAD_MAX_BYTES`` is
refused before a byte of its files is kept; :func:`too_large` tells the view to say so.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from dhakira.apps.evidence._common import spool
from dhakira.core.vault.spool import EncryptedSpool

_REFUSED = "_dhakira_upload_too_large"


def too_large(request: HttpRequest) -> bool:
    """Whether this request's upload was refused for its size (read after ``request.FILES``)."""
    return bool(getattr(request, _REFUSED, False))


def max_megabytes() -> int:
    """The cap in MiB, for messages."""
    return int(settings.UPLOAD_MAX_BYTES // (1024 * 1024))


class EncryptedUploadHandler(FileUploadHandler):
    """Stream each uploaded file into an encrypted spool; stop past the cap.

    The cap counts the whole request as its ``Content-Length`` declares, and, in case that
    lies, every file byte received.
    """

    file: EncryptedSpool  # set per file; Django's parser closes it if the upload stops

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self._declared = 0
        self._received = 0

    def handle_raw_input(self, input_data: Any, META: dict[str, Any], content_length: int,
                         boundary: bytes, encoding: str | None = None) -> None:
        self._declared = content_length
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self._declared > settings.UPLOAD_MAX_BYTES:
            self._refuse()
        # The request's files share one memory budget: many files cannot add up past it.
        self.file = spool(settings.SPOOL_MEMORY_BYTES - self._received)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self._received += len(raw_data)
        if self._received > settings.UPLOAD_MAX_BYTES:
            self._refuse()
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file, field_name=self.field_name, name=self.file_name,  # type: ignore[arg-type]
            content_type=self.content_type, size=file_size, charset=self.charset,
            content_type_extra=self.content_type_extra)

    def _refuse(self) -> None:
        if self.request is not None:
            setattr(self.request, _REFUSED, True)
        # Read and drop the rest (so the refusal can be answered), keeping none of it.
        raise StopUpload(connection_reset=False)
