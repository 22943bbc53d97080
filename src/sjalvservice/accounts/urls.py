from django.urls import path

from sjalvservice.accounts import views

app_name = "accounts"

urlpatterns = [
    path("mina-sidor/uppgifter/", views.my_details, name="my_details"),
    path(
        "mina-sidor/uppgifter/bekrafta-e-post/<str:token>/",
        views.confirm_email,
        name="confirm_email",
    ),
    path("mina-sidor/engagemang/", views.my_engagements, name="my_engagements"),
    path("mina-sidor/engagemang/ny/", views.organisation_add, name="organisation_add"),
    path(
        "mina-sidor/engagemang/<int:engagement_id>/",
        views.organisation_change,
        name="organisation_change",
    ),
    path(
        "mina-sidor/engagemang/<int:engagement_id>/ta-bort/",
        views.organisation_remove,
        name="organisation_remove",
    ),
]
