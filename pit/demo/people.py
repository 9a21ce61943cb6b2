"""Demo organisations: people in every role, divisions, teams; more staff for scale runs."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts import services as accounts
from accounts.models import Organisation, User
from accounts.permissions import Role
from pit import audit

DEMO_PASSWORD = "pit-demo-2026"
DEMO_PEOPLE = [
    ("admin", "Alex Admin", Role.ORG_ADMIN),
    ("manager", "Morgan Manager", Role.MANAGER),
    ("member", "Sam Member", Role.MEMBER),
    ("reviewer", "Riley Reviewer", Role.REVIEWER),
    ("viewer", "Vic Viewer", Role.VIEWER),
]
DIVISIONS = ["Operations", "Infrastructure", "Corporate Services"]


@dataclass(frozen=True)
class Login:
    email: str
    password: str
    role: str


def demo_logins() -> list[Login]:
    return [Login(f"{key}@demo.pit.example", DEMO_PASSWORD, role.label) for key, _, role in DEMO_PEOPLE]


def _org_email(index: int, key: str) -> str:
    return f"{key}@demo.pit.example" if index == 0 else f"{key}@org{index + 1}.pit.example"


@transaction.atomic
def seed_organisation(index: int, extra_staff: int = 0) -> Organisation:
    name = "Demo Water Corporation" if index == 0 else f"Demo Organisation {index + 1}"
    org = accounts.create_organisation(name=name, slug=f"demo-{index + 1}", time_zone="Australia/Sydney")
    actor = accounts.system_user(org)
    for division in DIVISIONS:
        org.divisions.create(name=division)
    people = {
        key: accounts.create_user(
            actor=actor, org=org, email=_org_email(index, key), name=name, role=role, password=DEMO_PASSWORD
        )
        for key, name, role in DEMO_PEOPLE
    }
    delivery = accounts.create_team(actor=actor, org=org, name="Delivery", manager=people["manager"])
    for key in ("member", "reviewer"):
        accounts.add_team_member(actor=actor, team=delivery, user=people[key])
    assurance = accounts.create_team(actor=actor, org=org, name="Assurance", manager=people["reviewer"])
    accounts.add_team_member(actor=actor, team=assurance, user=people["viewer"], role="observer")
    _add_staff(org, index, extra_staff)
    return org


def _add_staff(org: Organisation, index: int, count: int) -> None:
    """Scale runs need many owners; one password hash serves them all (hashing is deliberately slow)."""
    password = make_password(DEMO_PASSWORD)
    staff = [
        User(org=org, email=f"staff{n + 1}@org{index + 1}.pit.example", name=f"Staff Member {n + 1}", password=password)
        for n in range(count)
    ]
    User.objects.bulk_create(staff, batch_size=1000)
    audit.record_rows(
        actor=accounts.system_user(org), org=org, action="USER_CREATED", table_name="user",
        record_ids=[user.pk for user in staff],
    )  # fmt: skip


def has_demo_data() -> bool:
    return User.objects.filter(email__iexact=demo_logins()[0].email).exists()


def seed_organisations(count: int, extra_staff: int = 0) -> list[Organisation]:
    start = Organisation.objects.filter(slug__startswith="demo-").count()
    return [seed_organisation(start + i, extra_staff) for i in range(count)]
