"""What an uploaded file is, decided from its bytes (the `filetype` library), and the refusals that follow.

Nothing here touches storage or the database: a refusal raised here leaves nothing behind.
"""

import contextlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import ExifTags, Image, UnidentifiedImageError

from pit.enums import EvidenceType

SNIFF_BYTES = 8192
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED: dict[str, str] = {
    "application/pdf": EvidenceType.DOCUMENT,
    DOCX: EvidenceType.DOCUMENT,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": EvidenceType.DOCUMENT,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": EvidenceType.DOCUMENT,
    "application/vnd.oasis.opendocument.text": EvidenceType.DOCUMENT,
    "application/vnd.oasis.opendocument.spreadsheet": EvidenceType.DOCUMENT,
    "application/rtf": EvidenceType.DOCUMENT,
    "text/plain": EvidenceType.DOCUMENT,
    "image/jpeg": EvidenceType.PHOTO,
    "image/png": EvidenceType.PHOTO,
    "image/gif": EvidenceType.PHOTO,
    "image/webp": EvidenceType.PHOTO,
    "image/heic": EvidenceType.PHOTO,
    "image/tiff": EvidenceType.PHOTO,
    "video/mp4": EvidenceType.VIDEO,
    "video/quicktime": EvidenceType.VIDEO,
    "video/webm": EvidenceType.VIDEO,
    "application/zip": EvidenceType.OTHER,
}
EXECUTABLES = {
    "application/x-msdownload", "application/x-executable", "application/x-mach-binary", "application/x-sharedlib",
    "application/vnd.microsoft.portable-executable", "application/x-dex", "application/x-elf",
    "application/vnd.android.package-archive", "application/x-shellscript",
}  # fmt: skip
# Shown inline on the review page (from S3, with this content type); everything else is downloaded.
INLINE = {"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/webm"}
MAX_NAME = 200


@dataclass
class Inspected:
    filename: str
    mime: str
    file_type: str
    size: int
    metadata: dict = field(default_factory=dict)


def inspect(upload) -> Inspected:
    """Check one uploaded file (a Django UploadedFile) and describe it; raises ValidationError to refuse it."""
    name = safe_name(upload.name or "")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(f"“{name}” is empty: choose the file again.")
    limit_mb = settings.EVIDENCE_MAX_UPLOAD_MB
    if size > limit_mb * 1024 * 1024:
        raise ValidationError(f"“{name}” is {size / 1048576:.1f} MB; evidence files may be at most {limit_mb} MB.")
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    mime = sniff(head, name)
    metadata = {"filename": name, "mime": mime, "size": size}
    if ALLOWED[mime] == EvidenceType.PHOTO:
        metadata |= photo_facts(upload)
        upload.seek(0)
    return Inspected(name, mime, ALLOWED[mime], size, metadata)


def safe_name(raw: str) -> str:
    """The name to keep: refused when it has path parts or control characters (the client's name is not trusted)."""
    name = unicodedata.normalize("NFC", raw).strip()
    if not name or name in {".", ".."}:
        raise ValidationError("The file has no name: rename it and try again.")
    if "/" in name or "\\" in name or re.match(r"^[A-Za-z]:", name):
        raise ValidationError(f"“{name}” has folder parts in its name: upload the file by its own name.")
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in name):
        raise ValidationError("The file name has control characters: rename the file and try again.")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) < 10 else name[:MAX_NAME]
    return name


def sniff(head: bytes, name: str) -> str:
    kind = filetype.guess(head)
    mime = kind.mime if kind else _text_mime(head)
    if mime in EXECUTABLES:
        raise ValidationError(f"“{name}” is a program ({mime}); executables are not accepted as evidence.")
    if mime not in ALLOWED:
        shown = mime or "an unrecognised type"
        raise ValidationError(
            f"“{name}” is {shown}, which is not accepted: upload a PDF, office document, plain text, photo "
            f"(JPEG, PNG, GIF, WebP, HEIC, TIFF), video (MP4, MOV, WebM) or ZIP."
        )
    return mime


def _text_mime(head: bytes) -> str | None:
    """Plain text has no signature: UTF-8 without control characters. Scripts and markup are refused (markup could
    be rendered by a browser; scripts are programs)."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:  # not just a character cut at the end of the sniffed bytes
            return None
        text = head[: error.start].decode("utf-8")
    if any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text):
        return None
    stripped = text.lstrip("\ufeff \t\r\n").lower()
    if stripped.startswith("#!"):
        return "application/x-shellscript"
    if stripped.startswith("<"):
        return "text/html"
    return "text/plain"


GPS_IFD, EXIF_IFD = 0x8825, 0x8769
DATETIME_ORIGINAL = 36867


def photo_facts(upload) -> dict:
    """Pixel size, EXIF capture time and GPS position when the photo carries them (Pillow reads headers only)."""
    try:
        with Image.open(upload) as image:
            facts = {"width": image.width, "height": image.height}
            exif = image.getexif()
    except (UnidentifiedImageError, OSError, ValueError):
        return {}
    taken = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(ExifTags.Base.DateTime)
    if taken:
        with contextlib.suppress(ValueError):
            facts["taken_at"] = datetime.strptime(str(taken).strip("\x00 "), "%Y:%m:%d %H:%M:%S").isoformat()
    gps = _gps(exif.get_ifd(GPS_IFD))
    if gps:
        facts["gps"] = gps
    return facts


def _gps(ifd) -> dict | None:
    try:
        lat = _degrees(ifd[ExifTags.GPS.GPSLatitude], ifd.get(ExifTags.GPS.GPSLatitudeRef, "N"))
        lon = _degrees(ifd[ExifTags.GPS.GPSLongitude], ifd.get(ExifTags.GPS.GPSLongitudeRef, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    return {"lat": round(lat, 6), "lon": round(lon, 6)}


def _degrees(dms, ref: str) -> float:
    degrees, minutes, seconds = (float(part) for part in dms)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if str(ref).upper() in {"S", "W"} else value
