import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
application = get_wsgi_application()

# A WSGI server (gunicorn, waitress) runs no system checks: refuse here to serve on the built-in key.
from linli.core.checks import refuse_builtin_key  # noqa: E402

refuse_builtin_key()
