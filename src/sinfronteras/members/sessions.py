"""Sessions in the database (revocable at once), read with SQL compiled once.

Django's ``db`` session store builds the same query on every request; building it costs
more CPU than SQLite takes to answer it. This store reads the same row with the query
compiled once per process (``sinfronteras.prepared``); what it stores, and how, is
Django's, so sessions made by either store work with the other.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import router
from django.utils import timezone

from sinfronteras.prepared import PreparedQuery

_LIVE = PreparedQuery(lambda key, now: Session.objects.filter(
    session_key=key, expire_date__gt=now).values_list("session_data", "expire_date"),
    key="text", now="datetime")


class SessionStore(db.SessionStore):
    """Django's database session store; each request's read is compiled once."""

    def _get_session_from_db(self):
        rows = _LIVE.rows(using=router.db_for_read(self.model), key=self.session_key,
                          now=timezone.now()) if self.session_key else []
        if not rows:
            self._session_key = None
            return None
        data, expires = rows[0]
        return Session(session_key=self.session_key, session_data=data, expire_date=expires)
