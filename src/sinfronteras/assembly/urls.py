from django.urls import path

from . import views

app_name = "assembly"

urlpatterns = [
    path("", views.proposals, name="proposals"),
    path("new/", views.propose, name="propose"),
    path("new/<slug:kind>/", views.propose_kind, name="propose_kind"),
    path("<int:pk>/", views.proposal, name="proposal"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/results/", views.proposal_results, name="results"),
    path("<int:pk>/ballots.<str:ext>", views.ballots, name="ballots"),
]
