from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sinfronteras.web"
    label = "web"

    def ready(self):
        from . import checks  # noqa: F401  (registers the start-up checks)
