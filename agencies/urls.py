from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("", views.agency_settings, name="settings"),
    path("join/", views.join, name="join"),
    path("<int:membership_pk>/share/", views.share, name="share"),
    path("<int:membership_pk>/stop/", views.stop_sharing, name="stop"),
    path("<int:membership_pk>/leave/", views.leave, name="leave"),
]
