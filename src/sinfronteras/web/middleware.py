"""Middleware that keeps the privacy promises of DESIGN.md on every request."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from sinfronteras.members.models import ApiToken, hash_token

#: Request headers that identify a client or a device; removed before anything reads them.
CLIENT_KEYS = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_PLATFORM",
    "HTTP_SEC_CH_UA_MOBILE",
)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        # The notify app's service worker (/sw.js), ours only.
        "worker-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)


def forget_the_client(get_response):
    """Remove the client's IP address and user agent from the request.

    No view, log handler or error report downstream can store what is not there.
    """

    def middleware(request):
        for key in CLIENT_KEYS:
            request.META.pop(key, None)
        return get_response(request)

    return middleware


def security_headers(get_response):
    """Strict headers: no third-party anything, no referrer, no device features."""

    def middleware(request):
        response = get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        response.setdefault("Cache-Control", "no-store")
        return response

    return middleware


def activate_member_language(get_response):
    def middleware(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = get_response(request)
        response.setdefault("Content-Language", translation.get_language())
        return response

    return middleware


WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _writer(request) -> str | None:
    """Who a write counts against: the member, whichever of their tokens or sessions it uses."""
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        member_id = (ApiToken.objects.live().filter(token_hash=hash_token(token.strip()))
                     .values_list("member_id", flat=True).first())
        if member_id is not None:
            return f"member:{member_id}"
        return "token:" + hashlib.sha256(token.encode()).hexdigest()  # answered 401 anyway
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"member:{user.pk}"
    return None  # logins are limited per account; sign-ups need a single-use invite


def throttle_writes(get_response):
    """At most WRITES_PER_MINUTE writes a clock minute per member, across all their API
    tokens and sessions. Never per IP address. The refusal says when to try again."""

    def middleware(request):
        writer = _writer(request) if request.method in WRITE_METHODS else None
        if writer is not None:
            now = int(time.time())
            key = f"writes:{writer}:{now // 60}"
            cache.add(key, 0, timeout=61)
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=61)
                count = 1
            if count > settings.WRITES_PER_MINUTE:
                message = _("Too many changes in a minute. Wait a minute and try again.")
                if request.path.startswith("/api/"):
                    response = JsonResponse({"detail": message}, status=429)
                else:
                    response = HttpResponse(message, status=429,
                                            content_type="text/plain; charset=utf-8")
                response["Retry-After"] = str(60 - now % 60)
                return response
        return get_response(request)

    return middleware
