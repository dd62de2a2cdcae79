from django.apps import AppConfig


class SmsConfig(AppConfig):
    name = "sinfronteras.sms"
    label = "sms"
    verbose_name = "SMS"
