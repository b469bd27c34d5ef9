"""The physical limit of intake on this machine: a bare Django project whose one view inserts one row.

Run by ``bench/run_intake.sh`` on the same gunicorn set-up and PostgreSQL as Linli: no middleware, no
authentication, no validation beyond parsing the JSON, one INSERT on a connection kept open the same way
(``conn_max_age=60``, health checks on). What Linli does on top of it is what Linli costs.
"""

import dj_database_url

SECRET_KEY = "bench-bare-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.bare.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
USE_TZ = True
DATABASES = {"default": dj_database_url.config(env="DATABASE_URL", conn_max_age=60, conn_health_checks=True)}
