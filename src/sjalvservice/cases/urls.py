from django.urls import path

from sjalvservice.cases.views import messages, my_pages, pdf, runner

app_name = "cases"

urlpatterns = [
    path("tjanster/<slug:slug>/starta/", runner.start, name="start"),
    path("e-tjanst/<str:reference>/steg/<slug:step_key>/", runner.step, name="step"),
    path("e-tjanst/<str:reference>/forhandsgranska/", runner.preview, name="preview"),
    path("e-tjanst/<str:reference>/kvitto/", runner.receipt, name="receipt"),
    path("mina-sidor/", my_pages.overview, name="my_pages"),
    path("mina-sidor/sparade/", my_pages.drafts, name="drafts"),
    path("mina-sidor/pagaende/", my_pages.ongoing, name="ongoing"),
    path("mina-sidor/avslutade/", my_pages.closed, name="closed"),
    path("mina-sidor/meddelanden/", my_pages.news, name="news"),
    path("mina-sidor/arenden/<int:number>/", my_pages.case, name="case"),
    path("mina-sidor/arenden/<int:number>/visa/", my_pages.show, name="show"),
    path("mina-sidor/arenden/<int:number>/pdf/", pdf.case_pdf, name="pdf"),
    path("mina-sidor/arenden/<int:number>/meddelanden/", messages.messages_tab, name="messages"),
    path(
        "mina-sidor/arenden/<int:number>/filer/<int:attachment_id>/",
        messages.attachment,
        name="attachment",
    ),
    path("mina-sidor/personuppgifter/", my_pages.personal_data, name="personal_data"),
    path(
        "mina-sidor/personuppgifter/json/",
        my_pages.personal_data_json,
        name="personal_data_json",
    ),
    path(
        "mina-sidor/personuppgifter/pdf/",
        my_pages.personal_data_pdf_request,
        name="personal_data_pdf_request",
    ),
    path(
        "mina-sidor/personuppgifter/pdf/<int:export_id>/",
        my_pages.personal_data_pdf,
        name="personal_data_pdf",
    ),
    path("mina-sidor/utkast/<uuid:reference>/ta-bort/", my_pages.delete_draft, name="delete_draft"),
]
