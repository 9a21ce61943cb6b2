"""The spreadsheet template (XLSX or CSV): one row per item, in outline order, under one header row.

| column | what | example |
| --- | --- | --- |
| id | what other rows' predecessors call this row (letters, digits, `_`, `.`) | 12 |
| level | milestone, deliverable or task, or the outline level 1, 2, 3 | task |
| name | the item's name (required) | Install valves |
| start, finish | dates: 2026-03-31 or 31/03/2026 (or a date cell) | 2026-03-02 |
| owner_email | a person of the organisation; empty means the person importing | sam@example.org |
| capex, opex | task costs, ≥ 0 | 1500.50 |
| progress | task progress, 0–100 (or a % cell) | 40 |
| predecessors | ids this task waits for, finish-to-start, each with an optional lag in days | 10, 11+2d |

A row's parent is the nearest row above it of the level above (a deliverable's milestone, a task's deliverable).
Milestone and deliverable dates may be left empty: they then span their children. Column names are matched
without regard to case, spaces or underscores; extra columns are ignored.
"""

import csv
import io
import zipfile

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from interchange.formats.values import BadValue, read_date, read_money, read_predecessors, read_progress
from interchange.plan import LEVELS, MAX_ITEMS, PARENT_LEVEL, TASK, Item, Plan, fill_summary_dates

COLUMNS = ["id", "level", "name", "start", "finish", "owner_email", "capex", "opex", "progress", "predecessors"]
REQUIRED = {"level", "name"}
OUTLINE = {"1": LEVELS[0], "2": LEVELS[1], "3": LEVELS[2]}
EXAMPLE = [
    ["1", "milestone", "Design", "", "", "", "", "", "", ""],
    ["2", "deliverable", "Drawings", "", "", "", "", "", "", ""],
    ["3", "task", "Survey the site", "2026-03-02", "2026-03-06", "", "0", "1200", "100", ""],
    ["4", "task", "Draw the pump room", "2026-03-09", "2026-03-20", "", "0", "4500", "40", "3"],
    ["5", "milestone", "Build", "", "", "", "", "", "", ""],
    ["6", "deliverable", "Pump room", "", "", "", "", "", "", ""],
    ["7", "task", "Install valves", "2026-03-30", "2026-04-17", "", "18000", "0", "0", "4+5d"],
]


class NotASheet(ValueError):
    pass


def _key(name) -> str:
    return str(name or "").strip().lower().replace(" ", "_").replace("-", "_")


def read_xlsx(data: bytes) -> Plan:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise NotASheet(f"This spreadsheet cannot be read ({error}); save it again as .xlsx.") from None
    sheet = book.worksheets[0]
    lines = (
        (number, [(cell.value, "%" in (getattr(cell, "number_format", "") or "")) for cell in row])
        for number, row in enumerate(sheet.iter_rows(), start=1)
    )
    try:
        return _read(lines, "xlsx")
    finally:
        book.close()


def read_csv(data: bytes) -> Plan:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotASheet("This CSV file is not UTF-8 text; save it as “CSV UTF-8”.") from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = ((reader.line_num, [(value, False) for value in row]) for row in reader)
    return _read(lines, "csv")


def _read(lines, source: str) -> Plan:
    plan = Plan(source=source)
    header = None
    for number, cells in lines:
        values = [value for value, _ in cells]
        if header is None:
            if not any(v not in (None, "") for v in values):
                continue
            header = {_key(name): i for i, name in enumerate(values) if _key(name)}
            if missing := REQUIRED - header.keys():
                raise NotASheet(f"Row {number}, the header, has no column {', '.join(sorted(missing))}: "
                                "download the template from the import page.")  # fmt: skip
            continue
        if not any(v not in (None, "") for v in values):
            continue
        _row(plan, number, {col: cells[i] if i < len(cells) else (None, False) for col, i in header.items()})
        if len(plan.items) > MAX_ITEMS:
            plan.problem(number, f"The file has more than {MAX_ITEMS:,} rows; split the plan.")
            break
    if header is None:
        raise NotASheet("The file is empty: download the template from the import page.")
    fill_summary_dates(plan)
    return plan


def _row(plan: Plan, number: int, cells: dict) -> None:
    def value(column):
        return cells.get(column, (None, False))[0]

    def text(column) -> str:
        raw = value(column)
        return "" if raw is None else str(raw).strip()

    level = OUTLINE.get(text("level").removesuffix(".0"), text("level").lower())
    if level not in LEVELS:
        plan.problem(number, f"Level “{text('level')}” is not milestone, deliverable or task (or 1, 2, 3).")
        return
    item = Item(
        row=number, level=level, name=text("name"), ref=text("id").removesuffix(".0"), owner=text("owner_email")
    )
    item.parent = _parent(plan, level)
    if level in PARENT_LEVEL and item.parent is None:
        plan.problem(number, f"This {level} has no {PARENT_LEVEL[level]} above it: put it under one.")
    readers = [("start", lambda: _iso(read_date(value("start"), "Start"))),
               ("finish", lambda: _iso(read_date(value("finish"), "Finish")))]  # fmt: skip
    if level == TASK:
        readers += [("capex", lambda: str(read_money(value("capex"), "CAPEX"))),
                    ("opex", lambda: str(read_money(value("opex"), "OPEX"))),
                    ("progress", lambda: read_progress(value("progress"), fraction=_fraction(cells.get("progress")))),
                    ("preds", lambda: read_predecessors(value("predecessors")))]  # fmt: skip
    for attribute, reader in readers:
        try:
            setattr(item, attribute, reader())
        except BadValue as error:
            plan.problem(number, str(error))
    plan.items.append(item)


def _fraction(cell) -> bool:
    return bool(cell and cell[1] and isinstance(cell[0], float | int))


def _iso(day):
    return day.isoformat() if day else None


def _parent(plan: Plan, level: str) -> int | None:
    """The nearest item above of the parent level (none when another milestone came in between)."""
    wanted = PARENT_LEVEL.get(level)
    if wanted is None:
        return None
    for index in range(len(plan.items) - 1, -1, -1):
        above = plan.items[index].level
        if above == wanted:
            return index
        if LEVELS.index(above) < LEVELS.index(wanted):
            return None
    return None


def write_xlsx(rows: list[list], *, title: str = "Plan") -> bytes:
    """The template with these rows (strings stay strings: a name starting with "=" is not a formula)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "Plan")
    bold = Font(bold=True)
    sheet.append([_cell(sheet, name, font=bold) for name in COLUMNS])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet, value, *, font=None):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text
    if font:
        cell.font = font
    return cell


def write_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")
