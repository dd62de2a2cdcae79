from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .channels import register
from .push import PushChannel


class NotifyConfig(AppConfig):
    name = "sinfronteras.notify"
    verbose_name = _("Notifications")

    def ready(self):
        register(PushChannel())
