from django.urls import path

from sjalvservice.backoffice import views_manage

urlpatterns = [
    path("administrera/", views_manage.manage, name="manage"),
    path("administrera/handlaggare/", views_manage.handlers, name="manage_handlers"),
    path("administrera/handlaggare/ny/", views_manage.handler_add, name="manage_handler_add"),
    path("administrera/handlaggare/<int:user_id>/", views_manage.handler, name="manage_handler"),
    path(
        "administrera/handlaggare/<int:user_id>/aktiv/",
        views_manage.handler_active,
        name="manage_handler_active",
    ),
    path(
        "administrera/handlaggare/<int:user_id>/tvastegsverifiering/",
        views_manage.handler_reset_second_factor,
        name="manage_handler_reset_second_factor",
    ),
    path("administrera/grupper/", views_manage.groups, name="manage_groups"),
    path("administrera/grupper/ny/", views_manage.group_add, name="manage_group_add"),
    path("administrera/grupper/<int:group_id>/", views_manage.group, name="manage_group"),
    path("administrera/e-tjanster/", views_manage.eservices, name="manage_eservices"),
    path(
        "administrera/e-tjanster/<int:eservice_id>/publicera/",
        views_manage.eservice_publish,
        name="manage_eservice_publish",
    ),
    path(
        "administrera/e-tjanster/<int:eservice_id>/svarsmallar/",
        views_manage.reply_templates,
        name="manage_reply_templates",
    ),
    path(
        "administrera/svarsmallar/<int:template_id>/",
        views_manage.reply_template,
        name="manage_reply_template",
    ),
    path("administrera/atkomstlogg/", views_manage.access_log, name="manage_access_log"),
]
