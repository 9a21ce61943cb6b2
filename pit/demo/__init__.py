"""Demo and scale data for `manage.py seed_demo` (and so for `make run`)."""

from pit.demo.hierarchy import seed_projects
from pit.demo.people import DEMO_PASSWORD, demo_logins, has_demo_data, seed_organisations

__all__ = ["DEMO_PASSWORD", "demo_logins", "has_demo_data", "seed_organisations", "seed_projects"]
