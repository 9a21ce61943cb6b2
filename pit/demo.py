"""Demo and scale data: organisations, people, teams (and, as the domain grows, their projects)."""

from dataclasses import dataclass

from django.db import transaction

from accounts import services as accounts
from accounts.models import Organisation, User
from accounts.permissions import Role

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
def seed_organisation(index: int) -> Organisation:
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
    return org


def has_demo_data() -> bool:
    return User.objects.filter(email__iexact=demo_logins()[0].email).exists()


def seed(*, orgs: int = 1) -> list[Organisation]:
    start = Organisation.objects.filter(slug__startswith="demo-").count()
    return [seed_organisation(start + i) for i in range(orgs)]
