import pytest

from pit.demo import seed_organisations, seed_projects
from sharing import demo
from sharing.models import ShareLink

pytestmark = pytest.mark.django_db


def test_demo_links_show_every_state_on_the_first_project():
    orgs = seed_organisations(1)
    seed_projects(orgs, projects=2, tasks=10, seed=1)
    demo.seed(orgs, seed=1)
    links = ShareLink.objects.for_org(orgs[0])
    assert sorted(link.state_label for link in links) == ["Active", "Revoked", "View limit reached"]
    assert len({link.subject_id for link in links}) == 1 and links.filter(passcode_hash__gt="").count() == 1
