from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sinfronteras.demo"
    label = "demo"
