from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from pit.commands import add_org_option, org_from_options
from projects.models import Project
from watchdog.scan import ScanBusy, scan
from watchdog.services import notify_due

BUSY_EXIT = 3


class Command(BaseCommand):
    help = "Run the watchdog's rules: every organisation, one (--org SLUG) or one project (--project ID)."

    def add_arguments(self, parser):
        add_org_option(parser)
        parser.add_argument("--project", type=int, help="id of one project (of --org, when given)")
        parser.add_argument("--no-notify", action="store_true", help="scan only; send no alert notifications")

    def handle(self, *args, **options):
        org, project = org_from_options(options), None
        if options["project"] is not None:
            project = Project.objects.select_related("org").filter(pk=options["project"]).first()
            if project is None or (org is not None and project.org_id != org.pk):
                where = f" in organisation {org.slug!r}" if org else ""
                raise CommandError(f"no live project with id {options['project']}{where}")
            org = project.org
        orgs = [org] if org is not None else list(Organisation.objects.all())
        busy = False
        for each in orgs:
            try:
                result = scan(org=each, project=project)
            except ScanBusy as error:
                self.stderr.write(str(error))
                busy = True
                continue
            sent = 0 if options["no_notify"] else notify_due(org=each, project=project)
            log = result.log
            self.stdout.write(
                f"{each.slug}: {log.projects_scanned} project(s), {log.issues_detected} open alert(s), "
                f"{log.duration_ms} ms, {sent} notification(s). {log.ai_summary}"
            )
        if busy:
            raise CommandError("another scan was running (see above)", returncode=BUSY_EXIT)
