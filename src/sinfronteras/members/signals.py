from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in)
def reset_failed_logins(sender, request, user, **kwargs):
    from .login_lock import succeeded

    succeeded(user.username)
