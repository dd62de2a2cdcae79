"""Every form is safe to post twice: a one-time key in each form, as the API's Idempotency-Key.

Each page drawn for a logged-in member carries a fresh key in each of its forms (a
hidden ``once`` field beside the CSRF token). The first post with that key to an
address runs as usual, in one transaction with the key's record; posted again (Back,
then Post; a double tap; a retry after a lost answer), it makes nothing and answers
"already posted", leading where the first post led (what it made, or the list that
shows it). Two posts racing with one key: a database constraint lets one through and
the other's work is rolled back.

A post answered with a page (errors to correct, a question) keeps nothing of the key:
the page drawn again carries a new one. Keys are kept ``KEEP_DAYS`` days.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PostedKey

FIELD = "once"
KEEP_DAYS = 2
_CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">)')
_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def once_exempt(view):
    """Mark a view whose post must not run inside the key's transaction: one that calls the
    site itself over HTTP (the demo phone posts to the SMS webhook), which on SQLite would
    wait for the write lock this request holds. Its form is posted as any other."""
    view.once_exempt = True
    return view


def _exempt(request) -> bool:
    from django.urls import Resolver404, resolve

    try:
        return getattr(resolve(request.path_info).func, "once_exempt", False)
    except Resolver404:
        return False


def _member(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _with_keys(response):
    """Each form of an HTML page with a fresh key (one for the page: keys are per address)."""
    if response.streaming or response.status_code != 200 \
            or not response.get("Content-Type", "").startswith("text/html"):
        return response
    key = secrets.token_urlsafe(18).encode()
    content, count = _CSRF_INPUT.subn(
        rb'\1<input type="hidden" name="' + FIELD.encode() + rb'" value="' + key + rb'">',
        response.content)
    if count:
        response.content = content
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(content))
    return response


def posted_once(get_response):
    """Middleware: a post whose one-time key was used at this address before makes nothing."""

    def middleware(request):
        member = _member(request)
        key = request.POST.get(FIELD, "") if member and request.method == "POST" \
            and not request.path.startswith("/api/") else ""
        if not _KEY.match(key) or _exempt(request):
            response = get_response(request)
            return _with_keys(response) if member else response
        path = request.path[:200]
        earlier = PostedKey.objects.filter(member=member, key=key, path=path).first()
        if earlier is not None:
            return _already(request, earlier)
        try:
            with transaction.atomic():
                record = PostedKey.objects.create(member=member, key=key, path=path)
                response = get_response(request)
                if isinstance(response, HttpResponseRedirect):
                    record.location = response["Location"][:300]
                    record.save(update_fields=["location"])
                else:  # errors to correct, or a question: the key may come again
                    record.delete()
        except IntegrityError:  # the same key, posted at the same moment: the other one won
            earlier = PostedKey.objects.filter(member=member, key=key, path=path).first()
            if earlier is None:
                raise
            return _already(request, earlier)
        if not isinstance(response, HttpResponseRedirect):
            return _with_keys(response)
        PostedKey.objects.filter(created_at__lt=timezone.now() - timedelta(days=KEEP_DAYS)).delete()
        return response

    return middleware


def _already(request, earlier):
    messages.info(request, _("Already posted: this form was sent before, so nothing new was "
                             "made. Here is what it made."))
    return HttpResponseRedirect(earlier.location or request.path)
