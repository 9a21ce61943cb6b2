import factory

from accounts.models import Division, Organisation, Team, TeamMembership, User
from accounts.permissions import Role

PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")

    @factory.post_generation
    def system_user(org, create, extracted, **kwargs):
        if create:
            User.objects.create_user(f"system+{org.slug}@pit.invalid", None, name="system", org=org, is_system=True)


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Division

    org = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Division {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    org = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name", locale="en_AU")
    role = Role.MEMBER
    password = factory.django.Password(PASSWORD)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    org = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    manager = factory.SubFactory(UserFactory, org=factory.SelfAttribute("..org"))


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory, org=factory.SelfAttribute("..team.org"))
