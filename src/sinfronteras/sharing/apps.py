from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sinfronteras.sharing"
    label = "sharing"
