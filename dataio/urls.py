from django.urls import path

from dataio import views

app_name = "dataio"

urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/<int:batch_pk>/", views.import_mapping, name="import_mapping"),
    path("import/<int:batch_pk>/status/", views.import_status, name="import_status"),
    path("import/<int:batch_pk>/discard/", views.import_discard, name="import_discard"),
    path("export/applications.csv", views.export_csv, name="export_csv"),
    path("export/everything.json", views.export_json, name="export_json"),
    path("accounts/calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
