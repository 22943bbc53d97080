"""The ``sjalvservice`` command: Django's management commands plus ``run``.

``sjalvservice run`` starts the web server and the background worker as one
process group that Ctrl-C (or SIGTERM) stops cleanly; every other argument is
handed to Django, e.g. ``sjalvservice migrate`` or ``sjalvservice demo``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sjalvservice.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "sjalvservice"
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
