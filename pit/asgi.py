import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pit.settings")
application = get_asgi_application()

from pit import rls  # noqa: E402  (after setup: pit.rls reads the app registry)

rls.web_process = True  # as in pit/wsgi.py: a web server's connections start with no organisation
