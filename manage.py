#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pit.settings")
    # A checkout's manage.py is a developer's tool (makemigrations, shell, seed_demo); production sets DEBUG=0
    # explicitly (docker-compose.yml, Dockerfile), and the web server's wsgi entry keeps the safe default.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
