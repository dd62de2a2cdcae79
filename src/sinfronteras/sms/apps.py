from django.apps import AppConfig


class SmsConfig(AppConfig):
    name = "sinfronteras.sms"
    label = "sms"
    verbose_name = "SMS"

    def ready(self):
        from sinfronteras.notify.channels import register

        from .channel import notify_channel

        register(notify_channel())  # the notifications a member chose also go by SMS
