from django.urls import path

from sjalvservice.backoffice.views import eservice_versions, manage, notices

urlpatterns = [
    path("administrera/", manage.manage, name="manage"),
    path("administrera/handlaggare/", manage.handlers, name="manage_handlers"),
    path("administrera/handlaggare/ny/", manage.handler_add, name="manage_handler_add"),
    path("administrera/handlaggare/<int:user_id>/", manage.handler, name="manage_handler"),
    path(
        "administrera/handlaggare/<int:user_id>/aktiv/",
        manage.handler_active,
        name="manage_handler_active",
    ),
    path(
        "administrera/handlaggare/<int:user_id>/roll/",
        manage.handler_role,
        name="manage_handler_role",
    ),
    path(
        "administrera/handlaggare/<int:user_id>/tvastegsverifiering/",
        manage.handler_reset_second_factor,
        name="manage_handler_reset_second_factor",
    ),
    path("administrera/grupper/", manage.groups, name="manage_groups"),
    path("administrera/grupper/ny/", manage.group_add, name="manage_group_add"),
    path("administrera/grupper/<int:group_id>/", manage.group, name="manage_group"),
    path("administrera/e-tjanster/", manage.eservices, name="manage_eservices"),
    path("administrera/e-tjanster/ny/", manage.eservice_add, name="manage_eservice_add"),
    path(
        "administrera/e-tjanster/<int:eservice_id>/",
        manage.eservice_details,
        name="manage_eservice",
    ),
    path(
        "administrera/e-tjanster/<int:eservice_id>/stangning/",
        manage.eservice_closing,
        name="manage_eservice_closing",
    ),
    path(
        "administrera/e-tjanster/<int:eservice_id>/andringar/",
        manage.eservice_changes,
        name="manage_eservice_changes",
    ),
    path(
        "administrera/e-tjanster/kopiera/",
        eservice_versions.copy_search,
        name="manage_eservice_copy_search",
    ),
    path(
        "administrera/e-tjanster/kopiera/<slug:slug>/",
        eservice_versions.copy,
        name="manage_eservice_copy",
    ),
    path(
        "administrera/e-tjanster/<int:eservice_id>/versioner/",
        eservice_versions.versions,
        name="manage_eservice_versions",
    ),
    path(
        "administrera/e-tjanster/<int:eservice_id>/versioner/<int:number>/",
        eservice_versions.version,
        name="manage_eservice_version",
    ),
    path(
        "administrera/e-tjanster/<int:eservice_id>/versioner/<int:number>/till-utkast/",
        eservice_versions.version_to_draft,
        name="manage_eservice_version_to_draft",
    ),
    path(
        "administrera/e-tjanster/<int:eservice_id>/jamfor/",
        eservice_versions.compare_versions,
        name="manage_eservice_compare",
    ),
    path(
        "administrera/e-tjanster/<int:eservice_id>/utkast/ta-bort/",
        eservice_versions.discard_draft,
        name="manage_eservice_discard_draft",
    ),
    path(
        "administrera/e-tjanster/<int:eservice_id>/publicera/",
        manage.eservice_publish,
        name="manage_eservice_publish",
    ),
    path(
        "administrera/e-tjanster/<int:eservice_id>/svarsmallar/",
        manage.reply_templates,
        name="manage_reply_templates",
    ),
    path(
        "administrera/svarsmallar/<int:template_id>/",
        manage.reply_template,
        name="manage_reply_template",
    ),
    path(
        "administrera/e-tjanster/<int:eservice_id>/notiser/",
        notices.eservice_notices,
        name="manage_eservice_notices",
    ),
    path(
        "administrera/e-tjanster/<int:eservice_id>/notiser/<str:kind>/",
        notices.eservice_notice,
        name="manage_eservice_notice",
    ),
    path(
        "administrera/e-tjanster/<int:eservice_id>/gallring/",
        manage.eservice_retention,
        name="manage_eservice_retention",
    ),
    path("administrera/gallringslogg/", manage.purge_log, name="manage_purge_log"),
    path("administrera/atkomstlogg/", manage.access_log, name="manage_access_log"),
    path(
        "administrera/atkomstlogg/behorigheter/",
        manage.staff_changes,
        name="manage_staff_changes",
    ),
]
