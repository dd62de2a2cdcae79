from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "sinfronteras.plans"
    label = "plans"
