"""The login lock: after LOGIN_MAX_FAILURES wrong passwords an account waits LOGIN_LOCK_MINUTES.

An attempt is counted *before* its password is checked, by one conditional UPDATE
that the database applies to one row at a time (``failed_logins < limit``): of any
number of concurrent guesses at most the limit get as far as the slow hash, and the
rest are refused without it. A right password gives the count back. Login names
that belong to nobody are counted the same way in the cache, so that the lock, and
its words, are the same whether the account exists or not. Never per IP address.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Q
from django.utils import timezone

from .models import Member


def _unlocked(now):
    return Q(locked_until__isnull=True) | Q(locked_until__lte=now)


def _lock_for():
    return timedelta(minutes=settings.LOGIN_LOCK_MINUTES)


def claim(username: str) -> bool:
    """Count an attempt on ``username`` before its password is checked.

    False: the account is locked, or the limit's attempts are already counted (some
    may still be checking); refuse without checking the password.
    """
    now = timezone.now()
    rows = Member.objects.filter(username=username)
    if rows.filter(_unlocked(now), failed_logins__lt=settings.LOGIN_MAX_FAILURES).update(
            failed_logins=F("failed_logins") + 1):
        return True
    if rows.exists():
        # At the limit and not yet locked (attempts in flight, or a worker died mid-check):
        # lock now, so that the count cannot stay stuck at the limit.
        rows.filter(_unlocked(now), failed_logins__gte=settings.LOGIN_MAX_FAILURES).update(
            locked_until=now + _lock_for(), failed_logins=0)
        return False
    return _claim_nobody(username)


def failed(username: str) -> None:
    """The claimed attempt had a wrong password: at the limit, lock the account."""
    now = timezone.now()
    locked = Member.objects.filter(username=username, failed_logins__gte=settings.LOGIN_MAX_FAILURES
                                   ).update(locked_until=now + _lock_for(), failed_logins=0)
    if not locked and not Member.objects.filter(username=username).exists():
        key = _key(username)
        if (cache.get(key) or 0) >= settings.LOGIN_MAX_FAILURES:
            cache.set(f"{key}:locked", True, timeout=settings.LOGIN_LOCK_MINUTES * 60)
            cache.delete(key)


def succeeded(username: str) -> None:
    """The right password: the account's count starts again."""
    Member.objects.filter(username=username).filter(
        Q(failed_logins__gt=0) | Q(locked_until__isnull=False)).update(failed_logins=0,
                                                                      locked_until=None)


def _key(username: str) -> str:
    return "login-nobody:" + hashlib.sha256(username.encode()).hexdigest()


def _claim_nobody(username: str) -> bool:
    key = _key(username)
    if cache.get(f"{key}:locked"):
        return False
    cache.add(key, 0, timeout=settings.LOGIN_LOCK_MINUTES * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_LOCK_MINUTES * 60)
        count = 1
    if count > settings.LOGIN_MAX_FAILURES:
        cache.set(f"{key}:locked", True, timeout=settings.LOGIN_LOCK_MINUTES * 60)
        cache.delete(key)
        return False
    return True
