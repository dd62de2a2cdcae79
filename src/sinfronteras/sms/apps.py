from django.apps import AppConfig

from sinfronteras.notify.channels import register


class SmsConfig(AppConfig):
    name = "sinfronteras.sms"
    label = "sms"
    verbose_name = "SMS"

    def ready(self):
        # Django: the channel reads this app's models, which load only once every app is
        # registered, so it cannot be imported with this module.
        from .channel import notify_channel

        register(notify_channel())  # the notifications a member chose also go by SMS
