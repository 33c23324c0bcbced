#!/usr/bin/env python
"""Django's manage.py, kept for tools that expect it; operators use the ``lapor`` command."""

from lapor.cli import main

if __name__ == "__main__":
    main()
