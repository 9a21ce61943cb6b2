"""What an uploaded plan is, told from its bytes (never its name), and the reader for it."""

import zipfile
from io import BytesIO

from interchange.formats import mspdi_read, sheet, xmltree
from interchange.plan import Plan

OLE2 = b"\xd0\xcf\x11\xe0"  # the old binary .xls / .mpp container
UNPACKED_LIMIT = 200 * 1024 * 1024  # an XLSX is a ZIP: refuse one that would unpack into a memory bomb


class Unreadable(ValueError):
    """A file PIT will not import; its message says why and what to do."""


def kind_of(data: bytes) -> str:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data[:4] == b"PK\x03\x04":
        try:
            entries = zipfile.ZipFile(BytesIO(data)).infolist()
        except zipfile.BadZipFile:
            raise Unreadable("This file is a damaged ZIP archive, not a spreadsheet.") from None
        if sum(entry.file_size for entry in entries) > UNPACKED_LIMIT:
            raise Unreadable("This workbook unpacks to more than 200 MB; split the plan.")
        if "xl/workbook.xml" in {entry.filename for entry in entries}:
            return "xlsx"
        raise Unreadable("This ZIP file is not an Excel workbook (.xlsx).")
    if data[:4] == OLE2:
        raise Unreadable("This is an old binary file (.xls or .mpp): save it as .xlsx, or as XML from MS Project.")
    if head.startswith(b"<"):
        return "mspdi"
    if b"\x00" in data[:4096]:
        raise Unreadable("This file is neither MS Project XML, XLSX nor CSV.")
    return "csv"


def read(data: bytes) -> Plan:
    if not data:
        raise Unreadable("The file is empty.")
    kind = kind_of(data)
    try:
        if kind == "mspdi":
            return mspdi_read.read(data)
        return sheet.read_xlsx(data) if kind == "xlsx" else sheet.read_csv(data)
    except (xmltree.NotXml, mspdi_read.NotMspdi, sheet.NotASheet) as error:
        raise Unreadable(str(error)) from None
