#!/usr/bin/env python
"""Django's manage.py, for habit; the ``sinfronteras`` command does the same."""
import sys

from sinfronteras.cli import main

if __name__ == "__main__":
    sys.exit(main())
