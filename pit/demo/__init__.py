"""Demo and scale data for `manage.py seed_demo` (and so for `make run`)."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

from pit.demo.hierarchy import seed_projects
from pit.demo.people import DEMO_PASSWORD, demo_logins, has_demo_data, seed_organisations

__all__ = ["DEMO_PASSWORD", "demo_logins", "has_demo_data", "seed_domains", "seed_organisations", "seed_projects"]


def seed_domains(orgs, *, seed: int) -> None:
    """Each domain app brings its own demo data as `<app>/demo.py` with `seed(orgs, *, seed)`; they run in
    INSTALLED_APPS order, after the projects exist (the kernel names no domain app)."""
    for config in apps.get_app_configs():
        if config.name != "pit" and find_spec(f"{config.name}.demo"):
            import_module(f"{config.name}.demo").seed(orgs, seed=seed)
