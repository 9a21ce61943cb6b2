"""Sharing one evidence item outside PIT: the same links (hashed token, expiry, views, revoke), another kind."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.tests.factories import UserFactory
from evidence import samples
from evidence.tests.factories import evidence_task, uploaded
from sharing.kinds import EVIDENCE_ITEM
from sharing.models import ShareLink

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


@pytest.fixture
def item(org, manager):
    task = evidence_task(org, manager, name="Replace the depot gate")
    return uploaded(manager, task, "gate.jpg", samples.photo("gate"))


def create(client, item, **fields):
    data = {"label": "Insurer", "expires_in_days": 7, "view_limit": 2, "passcode": ""} | fields
    response = client.post(f"/evidence/{item.pk}/share/", data)
    assert response.status_code == 302 and response["Location"] == f"/evidence/{item.pk}/#share-links"
    page = client.get(response["Location"]).content.decode()
    return re.search(r"http://testserver(/s/[^/\s]+/)", page).group(1), page


def test_a_manager_shares_one_item_and_an_outsider_sees_only_it(manager_client, item):
    url, page = create(manager_client, item)
    assert "Share the evidence outside PIT" in page and "Insurer" in page
    outsider = Client()
    shown = outsider.get(url)
    body = shown.content.decode()
    assert shown.status_code == 200 and shown["X-Robots-Tag"] == "noindex, nofollow"
    assert "gate.jpg" in body and "Replace the depot gate" in body and item.sha256 in body
    assert re.search(r'<img class="viewer" src="http://127\.0\.0\.1:\d+/pit-evidence/', body)  # presigned, inline
    assert 'href="/projects/' not in body and 'href="/tasks/' not in body  # nothing else of PIT
    assert ShareLink.objects.get(kind=EVIDENCE_ITEM.code).view_count == 1
    outsider.get(url)
    assert outsider.get(url).status_code == 410  # two views were allowed


def test_a_new_version_ends_the_link_to_the_old_one(manager_client, manager, item):
    url, _ = create(manager_client, item)
    uploaded(manager, item.task, "gate-v2.jpg", samples.photo("gate, second try"), replaces=item,
             change_summary="Sharper")  # fmt: skip
    assert Client().get(url).status_code == 410


def test_members_cannot_share_and_other_organisations_items_are_404(member_client, client, item, other_org):
    assert member_client.get(f"/evidence/{item.pk}/share/").status_code == 403
    stranger = UserFactory(org=other_org, role="manager")
    client.force_login(stranger)
    assert client.post(f"/evidence/{item.pk}/share/", {"label": "x", "expires_in_days": 7}).status_code == 404
    assert not ShareLink.objects.exists()
