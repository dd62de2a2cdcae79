"""How a request finds its member: Django's model backend, its one query compiled once.

Every page asks for the member behind its session and, in the footer and in most views,
for their collective. Django builds that query anew on each request, which costs more CPU
than the database takes to answer it; here it is compiled once per process
(``sinfronteras.prepared``) and brings the collective in the same row.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db import router

from sinfronteras.prepared import PreparedQuery

from .models import Member

_MEMBER = PreparedQuery(lambda pk: Member._default_manager.filter(pk=pk).select_related("collective"),
                        pk="id")


class MemberBackend(ModelBackend):
    """Django's ``ModelBackend`` (passwords, permissions, inactive members refused); only
    ``get_user`` differs: one compiled query, the collective with the member."""

    def get_user(self, user_id):
        rows = _MEMBER.objects(using=router.db_for_read(Member), pk=int(user_id))
        if not rows:
            return None
        return rows[0] if self.user_can_authenticate(rows[0]) else None
