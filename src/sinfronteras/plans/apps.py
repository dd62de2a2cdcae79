from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "sinfronteras.plans"
    label = "plans"

    def ready(self):
        from . import signals  # noqa: F401
