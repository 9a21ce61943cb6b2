"""What management commands share: the `--org SLUG` option that narrows a command to one organisation."""

from django.core.management.base import CommandError

from accounts.models import Organisation


def add_org_option(parser) -> None:
    parser.add_argument("--org", help="slug of one organisation (default: all)")


def org_from_options(options) -> Organisation | None:
    if not options["org"]:
        return None
    org = Organisation.objects.filter(slug=options["org"]).first()
    if org is None:
        raise CommandError(f"no organisation with slug {options['org']!r}")
    return org
