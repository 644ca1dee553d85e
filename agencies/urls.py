from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("", views.agency_settings, name="settings"),
    path("join/", views.join, name="join"),
    path("<int:membership_pk>/share/", views.share, name="share"),
    path("<int:membership_pk>/stop/", views.stop_sharing, name="stop"),
    path("<int:membership_pk>/renew/", views.renew, name="renew"),
    path("<int:membership_pk>/leave/", views.leave, name="leave"),
    path("renew/<str:token>/", views.renew_link, name="renew_link"),
    path("digest/", views.digest_setting, name="digest"),
    path("digest/off/<str:token>/", views.digest_off, name="digest_off"),
]
