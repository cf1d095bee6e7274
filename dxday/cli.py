"""The `dxday` console script: management commands for operators (`dxday load-areas`, ...).

Dashes are accepted for underscores, so `dxday load-areas` runs `load_areas`.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxday.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "dxday"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
