"""The members' signals: a login resets the failed-login count; a member leaving is told."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import Signal, receiver

from .login_lock import succeeded

#: Sent (``sender=Member``, ``member=...``) inside the transaction that takes a member out of
#: the collective, by leaving or by a decision that removes them. The apps that keep what a
#: member holds give it back in their receivers (``plans.signals``: the tasks they carry go
#: back to the pool; their open needs and active offers are withdrawn), so that members, the
#: bottom feature, names none of them.
member_leaving = Signal()


@receiver(user_logged_in)
def reset_failed_logins(sender, request, user, **kwargs):
    succeeded(user.username)
