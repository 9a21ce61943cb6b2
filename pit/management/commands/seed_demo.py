import argparse
import time

from django.core.management.base import BaseCommand

from pit import demo

LIMIT = 5_000_000


def count(minimum: int):
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or not minimum <= number <= LIMIT:
            raise argparse.ArgumentTypeError(f"expected a whole number from {minimum} to {LIMIT:,}, got {value!r}")
        return number

    return parse


class Command(BaseCommand):
    help = "Create demo organisations with people, teams, projects and operational streams; prints the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=count(1), default=1, help="organisations to create (default 1)")
        parser.add_argument("--projects", type=count(1), default=8, help="projects and streams in all (default 8)")
        parser.add_argument("--tasks", type=count(0), default=320, help="tasks in all (default 320)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed, for repeatable data")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when demo data already exists")

    def handle(self, *args, orgs, projects, tasks, seed, if_empty, **options):
        if if_empty and demo.has_demo_data():
            self.stdout.write("Demo data already present; reusing it.")
        else:
            started = time.perf_counter()
            staff = max(5, projects // (orgs * 5))
            created = demo.seed_organisations(orgs, extra_staff=staff)
            demo.seed_projects(created, projects=projects, tasks=tasks, seed=seed, progress=options["verbosity"] > 0)
            demo.seed_domains(created, seed=seed)
            elapsed = time.perf_counter() - started
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {orgs} organisation(s), {projects} project(s), {tasks} task(s) in {elapsed:.1f} s."
                )
            )
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD}):")
        for login in demo.demo_logins():
            self.stdout.write(f"  {login.email:<28} {login.role}")
