"""The federation's server-to-server addresses: each collective's actor and inbox."""

from django.urls import path

from . import inbox

urlpatterns = [
    path("<slug:slug>/actor", inbox.actor, name="federation_actor"),
    path("<slug:slug>/inbox", inbox.inbox, name="federation_inbox"),
]
