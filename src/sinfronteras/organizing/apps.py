from django.apps import AppConfig


class OrganizingConfig(AppConfig):
    name = "sinfronteras.organizing"
    label = "organizing"
