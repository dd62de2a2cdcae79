from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sinfronteras.audit"
    label = "audit"
