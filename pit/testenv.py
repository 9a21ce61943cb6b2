"""pytest plugin loaded with `-p pit.testenv` before pytest-django reads the settings.

Tests run the development configuration (console email, plain static files); pytest-django still forces
settings.DEBUG off while tests run. With an owner URL (the embedded stack sets one), the test database is created
and migrated as the owner and the tests then run as the application's role (conftest.py `django_db_setup`), so
row-level security binds them as it binds production.
"""

import os
from urllib.parse import urlsplit

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pit.settings")
if os.environ.get("DATABASE_OWNER_URL") and not os.environ.get("PIT_APP_DATABASE_URL"):
    os.environ["PIT_APP_DATABASE_URL"] = os.environ["DATABASE_URL"]
    os.environ["DATABASE_APP_ROLE"] = urlsplit(os.environ["DATABASE_URL"]).username or ""
    os.environ["DATABASE_URL"] = os.environ["DATABASE_OWNER_URL"]
