"""The ``linli`` command: Django's management commands with Linli's settings.

``linli demo``, ``linli serve``, ``linli sla-sweep``, ``linli import-demands FILE``,
``linli export-demands``, ``linli metrics`` and every Django command
(``linli migrate``, ``linli createsuperuser`` …).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    from django.core.management import execute_from_command_line

    argv = [
        sys.argv[0],
        *[a.replace("-", "_") if i == 0 and not a.startswith("-") else a for i, a in enumerate(sys.argv[1:])],
    ]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
