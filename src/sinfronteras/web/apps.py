from django.apps import AppConfig
from django.urls import register_converter

from . import checks  # noqa: F401  (registers the start-up checks)


class WebConfig(AppConfig):
    name = "sinfronteras.web"
    label = "web"

    def ready(self):
        # Django: the converter's bound (sharing.bounds) words its messages when imported,
        # which needs the app registry, so it cannot be imported with this module.
        from .converters import IdConverter

        register_converter(IdConverter, "id")
