"""Which working calendar applies to an organisation or a project."""

from calendars.workdays import WorkingCalendar


def calendar_for_org(org) -> WorkingCalendar:
    """The organisation's calendar. Until calendars are stored, every organisation works Monday to Friday."""
    return WorkingCalendar()


def calendar_for_project(project) -> WorkingCalendar:
    """The project's calendar: its organisation's, with the project's own exceptions once they are stored."""
    return calendar_for_org(project.org_id)
