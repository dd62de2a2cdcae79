from django.urls import path

from . import demo_phone, views

app_name = "sms"
urlpatterns = [
    path("account/sms/", views.account_sms, name="account"),
    path("sms/webhook/", views.webhook, name="webhook"),
    # The demo's simulated phone (SMS_DEMO_PHONE only; 404 elsewhere).
    path("demo/phone/", demo_phone.phone, name="demo_phone"),
    path("demo/phone/gateway/message", demo_phone.gateway, name="demo_phone_gateway"),
]
