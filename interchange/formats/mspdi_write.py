"""A project → MS Project XML (MSPDI), as MS Project and ProjectLibre open it.

The project is the summary task UID 0; milestones and deliverables are summary tasks at outline levels 1 and 2,
tasks are at level 3. Each leaf task has Start and Finish (08:00 and 17:00 of its days), a Duration in working
time (working days of the project's calendar × 8 h), a "start no earlier than" constraint on its start, so that
a scheduling tool keeps the dates, and PercentComplete. Dependencies are PredecessorLinks of type FS (1) with
LinkLag in tenths of a minute of working time (days × 480 × 10) and LagFormat 7 (days). Owners are resources
(name and email) assigned to their items. CAPEX, OPEX and PIT's level are custom fields (Cost1, Cost2, Text1)
aliased "CAPEX", "OPEX" and "PIT level", which PIT's import reads back.
"""

import re
from datetime import date
from xml.etree.ElementTree import Element, SubElement, tostring

from interchange.formats.mspdi_read import NAMESPACE

MINUTES_PER_DAY = 480
FIELDS = {"capex": ("188743786", "Cost1", "CAPEX"), "opex": ("188743787", "Cost2", "OPEX"),
          "level": ("188743731", "Text1", "PIT level")}  # fmt: skip
WEEKDAY_NUMBER = {6: 1, 0: 2, 1: 3, 2: 4, 3: 5, 4: 6, 5: 7}  # Python's Monday=0 → MSPDI's Sunday=1


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0


def _add(parent, tag: str, text) -> Element:
    child = SubElement(parent, tag)
    child.text = CONTROL.sub("", str(text))
    return child


def _moment(day: date, *, finish: bool = False) -> str:
    return f"{day.isoformat()}T{'17' if finish else '08'}:00:00"


def _hours(minutes: int) -> str:
    return f"PT{minutes // 60}H{minutes % 60}M0S"


def write(project, rows, calendar) -> bytes:
    root = Element("Project", xmlns=NAMESPACE)
    for tag, text in (("SaveVersion", 14), ("Name", f"{project.name}.xml"), ("Title", project.name),
                      ("ScheduleFromStart", 1), ("StartDate", _moment(project.start_date)),
                      ("FinishDate", _moment(project.end_date, finish=True)), ("CalendarUID", 1),
                      ("DefaultStartTime", "08:00:00"), ("DefaultFinishTime", "17:00:00"),
                      ("MinutesPerDay", MINUTES_PER_DAY), ("MinutesPerWeek", MINUTES_PER_DAY * len(calendar.weekdays)),
                      ("DaysPerMonth", 20), ("DurationFormat", 7), ("NewTasksAreManual", 0)):  # fmt: skip
        _add(root, tag, text)
    attributes = SubElement(root, "ExtendedAttributes")
    for field_id, name, alias in FIELDS.values():
        attribute = SubElement(attributes, "ExtendedAttribute")
        _add(attribute, "FieldID", field_id)
        _add(attribute, "FieldName", name)
        _add(attribute, "Alias", alias)
    _calendar(SubElement(root, "Calendars"), calendar, project)
    resources = _resources(rows)
    tasks = SubElement(root, "Tasks")
    _summary_task(tasks, project)
    for row in rows:
        _task(tasks, row, calendar)
    _resources_element(root, resources)
    _assignments(root, rows, resources)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + tostring(root, encoding="utf-8")


def _calendar(calendars, calendar, project) -> None:
    """The project's working weekdays (08:00–12:00, 13:00–17:00) and its non-working days within the project."""
    element = SubElement(calendars, "Calendar")
    for tag, text in (("UID", 1), ("Name", "Standard"), ("IsBaseCalendar", 1), ("BaseCalendarUID", -1)):
        _add(element, tag, text)
    weekdays = SubElement(element, "WeekDays")
    for python_day, number in WEEKDAY_NUMBER.items():
        day = SubElement(weekdays, "WeekDay")
        _add(day, "DayType", number)
        working = python_day in calendar.weekdays
        _add(day, "DayWorking", int(working))
        if working:
            times = SubElement(day, "WorkingTimes")
            for start, finish in (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")):
                time = SubElement(times, "WorkingTime")
                _add(time, "FromTime", start)
                _add(time, "ToTime", finish)
    closed = [day for day in calendar.closed if project.start_date <= day <= project.end_date]
    if closed:
        exceptions = SubElement(element, "Exceptions")
        for day in closed:
            exception = SubElement(exceptions, "Exception")
            _add(exception, "EnteredByOccurrences", 0)
            period = SubElement(exception, "TimePeriod")
            _add(period, "FromDate", f"{day.isoformat()}T00:00:00")
            _add(period, "ToDate", f"{day.isoformat()}T23:59:00")
            _add(exception, "Occurrences", 1)
            _add(exception, "Name", "Non-working")
            _add(exception, "Type", 1)
            _add(exception, "DayWorking", 0)


def _summary_task(tasks, project) -> None:
    task = SubElement(tasks, "Task")
    for tag, text in (("UID", 0), ("ID", 0), ("Name", project.name), ("Type", 1), ("IsNull", 0),
                      ("OutlineNumber", 0), ("OutlineLevel", 0), ("Start", _moment(project.start_date)),
                      ("Finish", _moment(project.end_date, finish=True)), ("Summary", 1),
                      ("PercentComplete", project.progress_percent)):  # fmt: skip
        _add(task, tag, text)


def _task(tasks, row, calendar) -> None:
    task = SubElement(tasks, "Task")
    working = max(calendar.working_days_in(row.start, row.finish), 1)
    leaf = row.level == "task"
    for tag, text in (("UID", row.number), ("ID", row.number), ("Name", row.name), ("Manual", 0), ("Type", 1),
                      ("IsNull", 0),
                      ("WBS", row.outline), ("OutlineNumber", row.outline), ("OutlineLevel", row.depth),
                      ("Start", _moment(row.start)), ("Finish", _moment(row.finish, finish=True)),
                      ("Duration", _hours(working * MINUTES_PER_DAY)), ("DurationFormat", 7),
                      ("Milestone", 0), ("Summary", int(not leaf)),
                      ("PercentComplete", row.progress)):  # fmt: skip
        _add(task, tag, text)
    if leaf:
        _add(task, "ConstraintType", 4)  # start no earlier than
        _add(task, "ConstraintDate", _moment(row.start))
        for pred, lag in row.preds:
            link = SubElement(task, "PredecessorLink")
            for tag, text in (("PredecessorUID", pred), ("Type", 1), ("CrossProject", 0),
                              ("LinkLag", lag * MINUTES_PER_DAY * 10), ("LagFormat", 7)):  # fmt: skip
                _add(link, tag, text)
    values = {"level": row.level}
    if leaf:
        values |= {"capex": int(row.capex * 100), "opex": int(row.opex * 100)}  # MSPDI costs are in cents
    for key, value in values.items():
        attribute = SubElement(task, "ExtendedAttribute")
        _add(attribute, "FieldID", FIELDS[key][0])
        _add(attribute, "Value", value)


def _resources(rows) -> dict[str, tuple[int, str]]:
    """email → (resource UID, name), in order of first appearance."""
    found = {}
    for row in rows:
        if row.owner_email and row.owner_email not in found:
            found[row.owner_email] = (len(found) + 1, row.owner_name)
    return found


def _resources_element(root, resources) -> None:
    element = SubElement(root, "Resources")
    for email, (uid, name) in resources.items():
        resource = SubElement(element, "Resource")
        for tag, text in (("UID", uid), ("ID", uid), ("Name", name or email), ("Type", 1), ("IsNull", 0),
                          ("EmailAddress", email), ("MaxUnits", "1.00")):  # fmt: skip
            _add(resource, tag, text)


def _assignments(root, rows, resources) -> None:
    element = SubElement(root, "Assignments")
    for number, row in enumerate((r for r in rows if r.owner_email), start=1):
        assignment = SubElement(element, "Assignment")
        for tag, text in (("UID", number), ("TaskUID", row.number), ("ResourceUID", resources[row.owner_email][0]),
                          ("Finish", _moment(row.finish, finish=True)), ("Start", _moment(row.start)),
                          ("Units", 1)):  # fmt: skip
            _add(assignment, tag, text)
