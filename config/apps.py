from django.contrib.admin.apps import AdminConfig


class FulcrumAdminConfig(AdminConfig):
    """The operations console: Django admin behind a mandatory second factor."""

    default_site = "config.admin_site.FulcrumAdminSite"
