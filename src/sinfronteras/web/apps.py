from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sinfronteras.web"
    label = "web"
