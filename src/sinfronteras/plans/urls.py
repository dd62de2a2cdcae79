from django.urls import path, re_path

from . import views

app_name = "plans"
urlpatterns = [
    path("plan/", views.plan_page, name="plan"),
    path("plan/run/", views.plan_run, name="run"),
    re_path(r"^plan/export/(?P<name>problem|plan)\.json$", views.plan_export, name="export"),
    path("alerts/", views.alerts_page, name="alerts"),
    path("alerts/<id:pk>/lift/", views.alert_lift, name="alert_lift"),
    path("tasks/", views.my_tasks, name="tasks"),
    path("tasks/<id:pk>/", views.task_page, name="task"),
    re_path(r"^tasks/(?P<pk>[0-9]{1,10})/(?P<action>accept|decline|take|done)/$", views.task_action,
            name="task_action"),
    path("tasks/<id:pk>/messages/", views.task_message, name="task_message"),
    path("needs/<id:pk>/address/", views.need_address, name="need_address"),
    path("needs/<id:pk>/address/delete/", views.need_address_delete, name="need_address_delete"),
    path("offers/<id:pk>/pickup/", views.offer_pickup, name="offer_pickup"),
    path("offers/<id:pk>/pickup/delete/", views.offer_pickup_delete, name="offer_pickup_delete"),
    re_path(r"^share/(?P<what>need|task)/(?P<pk>[0-9]{1,10})/$", views.share_names, name="share_names"),
]
