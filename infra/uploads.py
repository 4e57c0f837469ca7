"""Checks on uploaded files (workshop materials, deliveries, library items): the name's
extension must be one we accept, the first bytes must match it, and the size must stay under the
limit. Files are kept in the default storage (MEDIA_ROOT, or the object store STORAGE_URL names)
and only ever leave through serve_file, as attachments, from views that check access first."""

import mimetypes
import re
from pathlib import PurePath
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .pnr import find_personal_numbers, mask_text, validate_file_name

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

_PDF = (b"%PDF-",)
_ZIP = (b"PK\x03\x04",)  # Office Open XML and OpenDocument files are zip archives
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # legacy Word, Excel and PowerPoint
SIGNATURES = {
    ".pdf": _PDF,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".odt": _ZIP,
    ".ods": _ZIP,
    ".odp": _ZIP,
    ".doc": _OLE,
    ".xls": _OLE,
    ".ppt": _OLE,
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".txt": None,  # checked as text below
}
ACCEPTED_EXTENSIONS = ", ".join(sorted(ext.lstrip(".") for ext in SIGNATURES))


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut off at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True


def check_upload(upload) -> None:
    """Raise ValidationError unless the upload is an accepted kind of document within the limit,
    with no personal identity number in its name (the name is listed and sent back)."""
    validate_file_name(upload.name)
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in SIGNATURES:
        raise ValidationError(
            _("Files of this type cannot be uploaded. Accepted types: %(types)s.")
            % {"types": ACCEPTED_EXTENSIONS},
            code="file_type",
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the largest file accepted is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
            code="file_size",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = SIGNATURES[suffix]
    ok = _looks_like_text(head) if signatures is None else head.startswith(signatures)
    if not ok:
        raise ValidationError(
            _("The file's content does not match its name (%(ext)s). Save it again as %(ext)s.")
            % {"ext": suffix.lstrip(".")},
            code="file_content",
        )


# Types a browser could run as a page are never served as such, whatever the upload check.
NEVER_INLINE = {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml"}


def serve_file(file, filename: str) -> FileResponse:
    """A stored file as an attachment named `filename`, for a view that has checked access.

    `file` is a FieldFile (or a File from a storage): it is read through the storage API, so
    the same view serves from the file system and from an object store shared by every
    instance; nothing here knows a path. A file missing from storage answers 404."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if content_type in NEVER_INLINE:
        content_type = "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    # Even if a browser ignored the attachment, the file could run nothing.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


_FILENAME_STAR = re.compile(r"filename\*=(?:utf-8|UTF-8)''([^;]*)")
_FILENAME = re.compile(r'filename="((?:[^"\\]|\\.)*)"')
_FILENAME_BARE = re.compile(r"filename=([^\s;\"]+)")


def download_name(header: str) -> str | None:
    """The file name a Content-Disposition header gives, decoded."""
    if match := _FILENAME_STAR.search(header):
        return unquote(match.group(1))
    if match := _FILENAME.search(header):
        return re.sub(r"\\(.)", r"\1", match.group(1))
    if match := _FILENAME_BARE.search(header):
        return match.group(1)
    return None


class DownloadNameMiddleware:
    """Every file a response hands out, however the view built it (serve_file, an export's
    streamed CSV, a PDF drawn in memory), is sandboxed and never sniffed: a browser that
    showed it anyway could run nothing in it. And no response names a file with a personal
    identity number in it: a name stored before uploads were checked, or an export named after
    something a person typed, is sent with the last four digits of each number replaced by X."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = response.headers.get("Content-Disposition")
        if header:
            response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
            response.headers["X-Content-Type-Options"] = "nosniff"
            name = download_name(header)
            if name and find_personal_numbers(name):
                response.headers["Content-Disposition"] = content_disposition_header(
                    header.strip().lower().startswith("attachment"), mask_text(name, "X")
                )
        return response
