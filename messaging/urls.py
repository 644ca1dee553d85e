from django.urls import path

from messaging import reminder_views, views

app_name = "messaging"

urlpatterns = [
    path("applications/<int:pk>/messages/new/", views.compose, name="compose"),
    path("applications/<int:pk>/messages/check/", views.check, name="check"),
    path("applications/<int:pk>/messages/send/", views.send, name="send"),
    path(
        "applications/<int:pk>/messages/<int:message_pk>/mail-app/",
        views.mail_app,
        name="mail_app",
    ),
    path(
        "applications/<int:pk>/messages/<int:message_pk>/retry/",
        views.retry,
        name="retry",
    ),
    path("applications/<int:pk>/close-out/", views.close_out, name="close_out"),
    path("reminders/<str:token>/", reminder_views.reminder_action, name="reminder_action"),
    path("staff/delivery/", reminder_views.delivery_health, name="delivery_health"),
    path("messages/templates/", views.template_list, name="templates"),
    path("messages/templates/new/", views.template_create, name="template_create"),
    path("messages/templates/<int:template_pk>/", views.template_edit, name="template_edit"),
    path(
        "messages/templates/<int:template_pk>/delete/",
        views.template_delete,
        name="template_delete",
    ),
]
