"""The back office at /handlaggare/: staff login, the inbox and cases, municipality management."""

from django.urls import path

from sjalvservice.backoffice import views_cases
from sjalvservice.backoffice.urls_auth import urlpatterns as auth_patterns
from sjalvservice.backoffice.urls_manage import urlpatterns as manage_patterns

app_name = "backoffice"

urlpatterns = [
    *auth_patterns,
    *manage_patterns,
    path("", views_cases.inbox, name="inbox"),
    path("arenden/<int:number>/", views_cases.case, name="case"),
    path("arenden/<int:number>/tilldela/", views_cases.assign, name="assign"),
    path("arenden/<int:number>/status/", views_cases.change_status, name="change_status"),
    path("arenden/<int:number>/meddelande/", views_cases.send_message, name="send_message"),
    path("arenden/<int:number>/anteckning/", views_cases.add_note, name="add_note"),
    path("arenden/<int:number>/pdf/", views_cases.case_pdf, name="case_pdf"),
    path(
        "arenden/<int:number>/filer/<int:attachment_id>/",
        views_cases.attachment,
        name="attachment",
    ),
    path(
        "arenden/<int:number>/version/<int:version>/fil/<int:index>/",
        views_cases.answer_file,
        name="answer_file",
    ),
]
