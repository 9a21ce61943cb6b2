"""The client address that the audit log, the sign-in lockout and the share-link throttle rely on."""

from django.test import RequestFactory

from pit.context import client_ip


def request(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_proxies_a_forwarded_header_is_the_clients_word_and_ignored(settings):
    settings.PROXY_COUNT = 0
    assert client_ip(request("203.0.113.5", "10.9.9.9")) == "203.0.113.5"


def test_behind_proxies_the_client_is_counted_from_the_right(settings):
    settings.PROXY_COUNT = 1
    assert client_ip(request("10.0.0.2", "10.9.9.9, 198.51.100.7")) == "198.51.100.7"  # forged hop on the left
    settings.PROXY_COUNT = 2
    assert client_ip(request("10.0.0.2", "10.9.9.9, 198.51.100.7, 10.0.0.3")) == "198.51.100.7"
    assert client_ip(request("10.0.0.2")) == "10.0.0.2"  # a request that bypassed the proxies
