from django.urls import path

from sjalvservice.cases import views, views_messages, views_my_pages, views_pdf

app_name = "cases"

urlpatterns = [
    path("tjanster/<slug:slug>/starta/", views.start, name="start"),
    path("e-tjanst/<str:reference>/steg/<slug:step_key>/", views.step, name="step"),
    path("e-tjanst/<str:reference>/forhandsgranska/", views.preview, name="preview"),
    path("e-tjanst/<str:reference>/kvitto/", views.receipt, name="receipt"),
    path("mina-sidor/arenden/<int:number>/", views_my_pages.case, name="case"),
    path("mina-sidor/arenden/<int:number>/visa/", views_my_pages.show, name="show"),
    path("mina-sidor/arenden/<int:number>/pdf/", views_pdf.case_pdf, name="pdf"),
    path("mina-sidor/arenden/<int:number>/meddelanden/", views_messages.messages, name="messages"),
    path(
        "mina-sidor/arenden/<int:number>/filer/<int:attachment_id>/",
        views_messages.attachment,
        name="attachment",
    ),
    path(
        "mina-sidor/utkast/<uuid:reference>/ta-bort/",
        views_my_pages.delete_draft,
        name="delete_draft",
    ),
]
