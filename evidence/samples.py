"""Small real files for demo data, tests and benchmarks: a text PDF and a JPEG photo with EXIF time and GPS."""

import io
from datetime import datetime

from PIL import Image, ImageDraw


def pdf(*lines: str) -> bytes:
    """A one-page PDF whose text a PDF reader (pypdf) extracts."""
    text = " ".join(f"({_escape(line)}) Tj T*" for line in lines)
    stream = f"BT /F1 14 Tf 16 TL 72 760 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def photo(label: str = "", *, taken_at: datetime | None = None, gps: tuple[float, float] | None = None,
          size=(640, 480), colour=(70, 110, 150)) -> bytes:  # fmt: skip
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 40):  # some texture, so the JPEG is not trivially small
        draw.line([(x, 0), (size[0] - x, size[1])], fill=(200, 180, 90), width=3)
    if label:
        draw.text((20, 20), label, fill=(255, 255, 255))
    exif = Image.Exif()
    if taken_at:
        exif.get_ifd(0x8769)[36867] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    if gps:
        exif.get_ifd(0x8825).update({1: "N" if gps[0] >= 0 else "S", 2: _dms(gps[0]),
                                     3: "E" if gps[1] >= 0 else "W", 4: _dms(gps[1])})  # fmt: skip
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return (float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 4))
