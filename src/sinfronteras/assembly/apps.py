from django.apps import AppConfig


class AssemblyConfig(AppConfig):
    name = "sinfronteras.assembly"
    label = "assembly"
