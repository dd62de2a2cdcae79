"""The federation's pages for members (the server-to-server addresses are in protocol_urls)."""

from django.urls import path

from . import views

app_name = "federation"
urlpatterns = [
    path("federation/", views.federation_page, name="page"),
]
