from django.urls import path, re_path

from . import views

app_name = "organizing"
urlpatterns = [
    path("", views.home, name="home"),
    path("actions/new/", views.action_new, name="action_new"),
    path("actions/<id:pk>/", views.action_page, name="action"),
    path("actions/<id:pk>/results/", views.action_results, name="action_results"),
    path("conversations/", views.conversations, name="conversations"),
    path("conversations/new/", views.conversation_new, name="conversation_new"),
    path("conversations/<id:pk>/", views.conversation_page, name="conversation"),
    path("conversations/<id:pk>/followed-up/", views.conversation_followed, name="followed_up"),
    path("conversations/<id:pk>/invite/", views.conversation_invite, name="invite"),
    path("commitments/", views.commitments, name="commitments"),
    path("commitments/new/", views.commitment_new, name="commitment_new"),
    re_path(r"^commitments/(?P<pk>[0-9]{1,10})/(?P<state>done|let_go|due)/$", views.commitment_check_in,
            name="check_in"),
    path("commitments/<id:pk>/help/", views.commitment_help, name="help"),
    path("break/", views.care_break, name="break"),
    path("numbers/", views.numbers, name="numbers"),
    path("settings/", views.organizing_settings, name="settings"),
]
