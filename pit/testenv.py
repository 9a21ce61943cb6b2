"""pytest plugin loaded with `-p pit.testenv` before pytest-django reads the settings.

Tests run the development configuration (console email, plain static files); pytest-django still forces
settings.DEBUG off while tests run.
"""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pit.settings")
