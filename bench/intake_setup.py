"""Create a hotline agent with an API token in the current database and print the token (for intake_bench)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
django.setup()

from linli.org.selectors import staff_list  # noqa: E402
from linli.org.services import api_token_create, staff_create  # noqa: E402

user = staff_list().filter(username="bench_agent").first() or staff_create(
    username="bench_agent",
    password="bench-only-password-2026",
    role="hotline_agent",
    display_name="压测话务员",
)
_, secret = api_token_create(user=user, name="intake benchmark")
print(secret)
