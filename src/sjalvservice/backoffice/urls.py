"""The back office at /handlaggare/: staff login, the inbox and cases, municipality management."""

from django.urls import path

from sjalvservice.backoffice.urls_auth import urlpatterns as auth_patterns
from sjalvservice.backoffice.urls_manage import urlpatterns as manage_patterns
from sjalvservice.backoffice.views import cases, notices, reservations

app_name = "backoffice"

urlpatterns = [
    *auth_patterns,
    *manage_patterns,
    path("", cases.inbox, name="inbox"),
    path("mina-notiser/", notices.notification_settings, name="notification_settings"),
    path("koer-och-bokningar/", reservations.overview, name="reservations"),
    path("koer/<int:queue_id>/", reservations.queue, name="queue"),
    path("koer/<int:queue_id>/erbjud/", reservations.queue_offer, name="queue_offer"),
    path("koplatser/<int:place_id>/svar/", reservations.place_answer, name="place_answer"),
    path("resurser/<int:resource_id>/", reservations.resource, name="resource"),
    path(
        "bokningar/<int:booking_id>/bekrafta/",
        reservations.booking_confirm,
        name="booking_confirm",
    ),
    path("bokningar/<int:booking_id>/avboka/", reservations.booking_cancel, name="booking_cancel"),
    path("arenden/<int:number>/", cases.case, name="case"),
    path("arenden/<int:number>/tilldela/", cases.assign, name="assign"),
    path("arenden/<int:number>/status/", cases.change_status, name="change_status"),
    path("arenden/<int:number>/meddelande/", cases.send_message, name="send_message"),
    path("arenden/<int:number>/anteckning/", cases.add_note, name="add_note"),
    path("arenden/<int:number>/pdf/", cases.case_pdf, name="case_pdf"),
    path(
        "arenden/<int:number>/filer/<int:attachment_id>/",
        cases.attachment,
        name="attachment",
    ),
    path(
        "arenden/<int:number>/version/<int:version>/fil/<int:index>/",
        cases.answer_file,
        name="answer_file",
    ),
]
