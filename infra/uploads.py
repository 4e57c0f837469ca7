"""Checks on uploaded files (workshop materials, deliveries): the name's extension must be one
we accept, the first bytes must match it, and the size must stay under the limit. Files are
stored under MEDIA_ROOT and only ever served as attachments through views that check access."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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
    """Raise ValidationError unless the upload is an accepted kind of document within the limit."""
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
