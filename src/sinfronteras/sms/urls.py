from django.urls import path

from . import views

app_name = "sms"
urlpatterns = [
    path("account/sms/", views.account_sms, name="account"),
    path("sms/webhook/", views.webhook, name="webhook"),
]
