from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "sinfronteras.federation"
    label = "federation"
