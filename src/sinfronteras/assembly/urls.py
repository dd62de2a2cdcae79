from django.urls import path

from . import views

app_name = "assembly"

urlpatterns = [
    path("", views.proposals, name="proposals"),
    path("new/", views.propose, name="propose"),
    path("new/<slug:kind>/", views.propose_kind, name="propose_kind"),
    path("<id:pk>/", views.proposal, name="proposal"),
    path("<id:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/results/", views.proposal_results, name="results"),
    path("<id:pk>/ballots.<str:ext>", views.ballots, name="ballots"),
]
