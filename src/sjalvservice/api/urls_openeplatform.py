"""Open ePlatform's read paths (see ``api.openeplatform``), without trailing slashes as
Open ePlatform has them."""

from django.urls import path

from sjalvservice.api import openeplatform as oep

app_name = "openeplatform"

urlpatterns = [
    path("instanceapi/getinstances/family/<int:family_id>", oep.instances, name="instances"),
    path(
        "instanceapi/getinstances/family/<int:family_id>/<str:status>",
        oep.instances,
        name="instances_in_status",
    ),
    path("instanceapi/getinstance/<int:instance_id>/xml", oep.instance_xml, name="instance"),
    path("instanceapi/getinstance/<int:instance_id>/pdf", oep.instance_pdf, name="pdf"),
    path("instanceapi/getinstance/<int:instance_id>/xsd", oep.instance_xsd, name="schema"),
    path("instanceapi/getstatus/<int:instance_id>", oep.status, name="status"),
    path("instanceapi/getevents/<int:instance_id>", oep.events, name="events"),
    path("messageapi/getmessages/flowinstance/<int:instance_id>", oep.messages, name="messages"),
    path("messageapi/getattachment/<int:attachment_id>", oep.attachment, name="attachment"),
    path(
        "fileuploadqueryapi/getfile/<int:instance_id>/<int:query_id>/<int:file_id>",
        oep.file,
        name="file",
    ),
]
