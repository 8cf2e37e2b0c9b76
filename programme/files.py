"""Which files the coach may attach to material, checked by name, size and content."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Word and PowerPoint files
ZIP = b"PK\x03\x04"  # .docx and .pptx are zip files

# extension -> (MIME type, accepted first bytes, a file the zip must contain)
ALLOWED = {
    ".pdf": ("application/pdf", (b"%PDF-",), None),
    ".doc": ("application/msword", (OLE,), None),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (ZIP,),
        "word/",
    ),
    ".ppt": ("application/vnd.ms-powerpoint", (OLE,), None),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (ZIP,),
        "ppt/",
    ),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",), None),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",), None),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",), None),
}


def _zip_contains(upload: UploadedFile, prefix: str) -> bool:
    import zipfile

    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return any(name.startswith(prefix) for name in archive.namelist())
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


def validate_material_file(upload: UploadedFile) -> str:
    """Return the file's MIME type, or raise a ValidationError that says why in Swedish."""
    extension = Path(upload.name or "").suffix.lower()
    if extension not in ALLOWED:
        raise ValidationError(
            _(
                "Files of type “%(extension)s” cannot be attached. Allowed are PDF, Word "
                "(.doc, .docx), PowerPoint (.ppt, .pptx) and images (.png, .jpg)."
            )
            % {"extension": extension or _("without extension")},
            code="file_type",
        )
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; at most 20 MB is allowed.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")},
            code="file_size",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    mimetype, signatures, zip_prefix = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(signatures) or (zip_prefix and not _zip_contains(upload, zip_prefix)):
        raise ValidationError(
            _("The file's content does not match its name (%(extension)s). Save it again.")
            % {"extension": extension},
            code="file_content",
        )
    return mimetype
