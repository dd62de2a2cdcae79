from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sinfronteras.web"
    label = "web"

    def ready(self):
        from django.urls import register_converter

        from .converters import IdConverter

        register_converter(IdConverter, "id")
        from . import checks  # noqa: F401  (registers the start-up checks)
