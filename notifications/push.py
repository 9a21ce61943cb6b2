"""Push providers behind one interface: `send(device, payload)` delivers or raises.

- Web Push (browsers): pywebpush with the VAPID key pair from settings (`WEBPUSH_VAPID_PRIVATE_KEY`,
  `WEBPUSH_VAPID_PUBLIC_KEY`, `WEBPUSH_VAPID_SUBJECT`).
- FCM HTTP v1 (Android, iOS): a service account's OAuth token through google-auth (`FCM_PROJECT_ID`,
  `FCM_CREDENTIALS_FILE`).

A provider that is not configured is not offered; with none, push is not offered at all. `TokenGone` means the
provider says the device will never receive again: the caller retires it. Any other `PushFailed` is retried.
"""

import json
from functools import cache

from django.conf import settings


class PushFailed(Exception):
    """The provider could not take the message now; try again later."""


class TokenGone(PushFailed):
    """The provider says this device token or subscription is invalid or expired."""


class WebPush:
    platforms = frozenset({"web"})

    def send(self, device, payload: dict) -> None:
        from pywebpush import WebPushException, webpush

        try:
            subscription = json.loads(device.token)
        except ValueError:
            raise TokenGone("the stored Web Push subscription is not JSON") from None
        try:
            webpush(
                subscription_info=subscription,
                data=json.dumps(payload),
                vapid_private_key=settings.WEBPUSH_VAPID_PRIVATE_KEY,
                vapid_claims={"sub": settings.WEBPUSH_VAPID_SUBJECT},
                timeout=settings.PUSH_TIMEOUT,
                ttl=24 * 3600,
            )
        except WebPushException as error:
            # 404/410: the browser unsubscribed or the subscription expired (RFC 8030 section 7.3).
            if error.status_code in (404, 410):
                raise TokenGone(str(error)) from error
            raise PushFailed(str(error)) from error
        except (OSError, ValueError) as error:
            raise PushFailed(f"{type(error).__name__}: {error}") from error


class Fcm:
    platforms = frozenset({"android", "ios"})
    scope = "https://www.googleapis.com/auth/firebase.messaging"

    def __init__(self):
        self._session = None

    def session(self):
        if self._session is None:
            from google.auth.transport.requests import AuthorizedSession
            from google.oauth2 import service_account

            credentials = service_account.Credentials.from_service_account_file(
                settings.FCM_CREDENTIALS_FILE, scopes=[self.scope]
            )
            self._session = AuthorizedSession(credentials)
        return self._session

    def send(self, device, payload: dict) -> None:
        import google.auth.exceptions
        import requests

        url = f"{settings.FCM_ENDPOINT}/v1/projects/{settings.FCM_PROJECT_ID}/messages:send"
        data = {key: str(value) for key, value in payload.items()}
        message = {"token": device.token, "notification": {"title": payload["title"], "body": payload["body"]}}
        try:
            body = {"message": message | {"data": data}}
            response = self.session().post(url, json=body, timeout=settings.PUSH_TIMEOUT)
        except (requests.RequestException, google.auth.exceptions.GoogleAuthError) as error:
            raise PushFailed(f"{type(error).__name__}: {error}") from error
        if response.status_code == 200:
            return
        if _token_is_gone(response):
            raise TokenGone(f"FCM {response.status_code}: {response.text[:300]}")
        raise PushFailed(f"FCM {response.status_code}: {response.text[:300]}")


def _token_is_gone(response) -> bool:
    """FCM v1 says UNREGISTERED (404) for an app uninstalled or a token expired, INVALID_ARGUMENT (400) for a token
    that was never valid."""
    if response.status_code not in (400, 404):
        return False
    try:
        error = response.json().get("error", {})
    except ValueError:
        return False
    codes = {error.get("status")} | {d.get("errorCode") for d in error.get("details", []) if isinstance(d, dict)}
    return bool(codes & {"UNREGISTERED", "INVALID_ARGUMENT", "NOT_FOUND"})


@cache
def _configured() -> tuple:
    found = []
    if settings.WEBPUSH_VAPID_PRIVATE_KEY:
        found.append(WebPush())
    if settings.FCM_PROJECT_ID and settings.FCM_CREDENTIALS_FILE:
        found.append(Fcm())
    return tuple(found)


def providers() -> tuple:
    """The configured providers (cached per process; `reset()` after changing the settings, as tests do)."""
    return _configured()


def reset() -> None:
    _configured.cache_clear()


def provider_for(platform: str):
    return next((provider for provider in providers() if platform in provider.platforms), None)
