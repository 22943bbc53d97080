from django.contrib.admin.apps import AdminConfig


class SecondFactorAdminConfig(AdminConfig):
    """Django's admin with ``sjalvservice.admin.SecondFactorAdminSite`` as its default site."""

    default_site = "sjalvservice.admin.SecondFactorAdminSite"
