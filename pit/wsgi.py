import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pit.settings")
application = get_wsgi_application()

from pit import rls  # noqa: E402  (after setup: pit.rls reads the app registry)

rls.web_process = True  # a web server's connections start with no organisation: only requests choose one
