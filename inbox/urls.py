from django.urls import path

from inbox import views

app_name = "inbox"

urlpatterns = [
    path("inbox/", views.inbox_page, name="index"),
    path("inbox/mailbox/", views.mailbox_page, name="mailbox"),
    path("inbox/mailbox/test/", views.mailbox_test, name="test"),
    path("inbox/mailbox/check/", views.mailbox_check_now, name="check_now"),
    path("inbox/mailbox/disconnect/", views.mailbox_disconnect, name="disconnect"),
    path("inbox/proposals/<int:proposal_pk>/accept/", views.proposal_accept, name="accept"),
    path("inbox/proposals/<int:proposal_pk>/dismiss/", views.proposal_dismiss, name="dismiss"),
]
