from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "sinfronteras.plans"
    label = "plans"

    def ready(self):
        # Django's way: the receivers connect once the app registry is ready (signals imports
        # models, which cannot be imported while apps.py itself is).
        from . import signals  # noqa: F401
