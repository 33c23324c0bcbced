"""The ``lapor`` command line: every operator task, as ``lapor GROUP ACTION [ARGS]``.

Two-word commands map onto Django management commands named ``GROUP_ACTION`` (for example
``lapor regions import FILE`` runs ``regions_import``); anything else is handed to Django's own
command runner (``lapor migrate``, ``lapor createsuperuser``, ``lapor runserver``).
"""

from __future__ import annotations

import os
import sys


def _resolve(argv: list[str]) -> list[str]:
    from django.core.management import get_commands

    if len(argv) >= 3 and not argv[1].startswith("-") and not argv[2].startswith("-"):
        joined = f"{argv[1]}_{argv[2].replace('-', '_')}"
        if joined in get_commands():
            return [argv[0], joined, *argv[3:]]
    return argv


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "lapor"
    from lapor.config import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as exc:
        sys.stderr.write(f"lapor: {exc}\n")
        raise SystemExit(2) from None
    from django.core.management import execute_from_command_line

    execute_from_command_line(_resolve(argv))


if __name__ == "__main__":
    main()
