"""The `zayavky` console script: Django's manage.py for this project."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zayavky.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reads the settings now, so a wrong one is one line, not a traceback
    except ImproperlyConfigured as exc:
        sys.exit(f"zayavky: {exc}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
