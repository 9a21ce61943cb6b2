"""Public holidays by region and year, from the `holidays` library (the defaults an organisation then edits)."""

from datetime import date
from functools import cache

import holidays
from django.core.exceptions import ValidationError
from holidays import registry


@cache
def countries() -> dict[str, str]:
    """{ISO code: name} of every country the library knows, by name."""
    found = {entry[1]: module.replace("_", " ").title() for module, entry in registry.COUNTRIES.items()}
    return dict(sorted(found.items(), key=lambda item: item[1]))


def subdivisions(country: str) -> tuple[str, ...]:
    return holidays.list_supported_countries().get(country, ())


def check(country: str, subdivision: str) -> None:
    """A clear message for a region the library does not know."""
    if not country:
        if subdivision:
            raise ValidationError({"subdivision": "Choose the country first: a state or region belongs to one."})
        return
    if country not in countries():
        raise ValidationError({"country": f"“{country}” is not a country the holidays library knows."})
    if subdivision and subdivision not in subdivisions(country):
        known = ", ".join(subdivisions(country)) or "none"
        raise ValidationError(
            {"subdivision": f"{countries()[country]} has no state or region “{subdivision}” (it has: {known})."}
        )


def public_holidays(country: str, subdivision: str, year: int) -> list[tuple[date, str]]:
    """The region's public holidays in `year`, by date (nothing when no country is set)."""
    if not country:
        return []
    check(country, subdivision)
    found = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    if not (found.default_language or "en").startswith("en") and "en_US" in found.supported_languages:
        found = holidays.country_holidays(country, subdiv=subdivision or None, years=year, language="en_US")
    return sorted(found.items())
