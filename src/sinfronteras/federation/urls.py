"""The federation's pages for members (the server-to-server addresses are in protocol_urls)."""

from django.urls import path, re_path

from . import views

app_name = "federation"
urlpatterns = [
    path("federation/", views.federation_page, name="page"),
    path("federation/invite/", views.federation_invite, name="invite"),
    re_path(r"^federation/handovers/(?P<pk>[0-9]{1,10})/(?P<action>handed|received|delivered|decline)/$",
            views.handover_action, name="handover"),
    re_path(r"^federation/handovers/(?P<action>handed|received|decline)/$", views.handovers_action,
            name="handovers"),
]
