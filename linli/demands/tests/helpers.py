"""Helpers shared by the demand service tests."""

import datetime as dt

from django.utils import timezone

TZ = timezone.get_current_timezone()


def at(*args):
    return dt.datetime(*args, tzinfo=TZ)


def code_of(excinfo):
    return excinfo.value.code
