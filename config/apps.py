from django.contrib.admin.apps import AdminConfig


class BridgesAdminConfig(AdminConfig):
    default_site = "config.admin.BridgesAdminSite"
