#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Management commands that read and write data but never sign anything.
SIGN_NOTHING = {
    "makemigrations",
    "migrate",
    "showmigrations",
    "backup",
    "restore",
    "export_report",
    "import_tracker",
    "load_demo",
    "generate_portfolio",
    "collectstatic",
    "createsuperuser",
    "changepassword",
    "axes_reset",
    "axes_reset_username",
    "db_worker",
    "prune_db_task_results",
}


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "changeprog.settings")
    if sys.argv[1:2] and sys.argv[1] in SIGN_NOTHING:
        # These commands sign nothing (no sessions, tokens or cookies), so they need no real key and run as the
        # README writes them, on a development checkout or a server whose shell lacks SECRET_KEY. The web server
        # and every other command still refuse to start without SECRET_KEY unless DEBUG is on.
        os.environ.setdefault("SECRET_KEY", "command-line-only-key-never-used-to-sign-anything-0123456789")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
