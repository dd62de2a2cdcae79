from django.urls import path

from . import views

urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("account/notifications/", views.preferences, name="notify_preferences"),
    path("account/notifications/push/", views.subscribe, name="push_subscribe"),
    path("account/notifications/push/off/", views.unsubscribe, name="push_unsubscribe"),
]
