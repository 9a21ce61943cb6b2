import argparse

from django.core.management.base import BaseCommand

from pit import demo


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {value!r}")
    return number


class Command(BaseCommand):
    help = "Create demo organisations with people and teams; prints the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=positive, default=1, help="organisations to create (default 1)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when demo data already exists")

    def handle(self, *args, **options):
        if options["if_empty"] and demo.has_demo_data():
            self.stdout.write("Demo data already present; reusing it.")
        else:
            orgs = demo.seed(orgs=options["orgs"])
            self.stdout.write(self.style.SUCCESS(f"Created {len(orgs)} demo organisation(s)."))
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD}):")
        for login in demo.demo_logins():
            self.stdout.write(f"  {login.email:<28} {login.role}")
