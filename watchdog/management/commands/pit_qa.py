from django.core.management.base import BaseCommand, CommandError

from pit.commands import add_org_option, org_from_options
from watchdog.services import run_qa


class Command(BaseCommand):
    help = (
        "Foreman QA: check the database against PIT_DATABASE_SCHEMA_v0.1 and every project's data; exit 1 on failure."
    )

    def add_arguments(self, parser):
        add_org_option(parser)

    def handle(self, *args, **options):
        run = run_qa(org=org_from_options(options))
        for name, problems in run.schema_failures.items():
            self.stderr.write(f"FAIL {name}: {len(problems)} problem(s)")
            for problem in problems[:10]:
                self.stderr.write(f"     {problem}")
        failed = [r for r in run.results if r.failed_tests]
        for result in failed[:20]:
            for entry in result.failed_tests:
                if entry["name"] not in run.schema_failures:
                    self.stderr.write(f"FAIL project {result.project_id} {entry['name']}: {entry['problems'][0]}")
        summary = f"{len(run.results)} project(s) checked, {len(failed)} failed"
        if not run.passed:
            raise CommandError(f"Foreman QA failed: {summary}", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"Foreman QA passed: {summary}"))
