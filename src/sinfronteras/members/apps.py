from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "sinfronteras.members"
    label = "members"

    def ready(self):
        # Django's way: the receivers connect once the app registry is ready (signals imports
        # models, which cannot be imported while apps.py itself is).
        from . import signals  # noqa: F401
