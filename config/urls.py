from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import views

# The admin's own login form has no throttling; send it through allauth's, which has.
admin.site.login = secure_admin_login(admin.site.login)

# A request too large to read gets its own page (413); other bad requests Django's 400.html.
handler400 = "config.views.bad_request"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.health, name="health"),
    path("", include("applications.urls")),
    path("", include("messaging.urls")),
    path("", include("dataio.urls")),
    path("", include("inbox.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/agency/", include("agencies.urls")),
    path("accounts/", include("allauth.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
