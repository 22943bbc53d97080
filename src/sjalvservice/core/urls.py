from django.urls import path

from sjalvservice.core import views

app_name = "core"

urlpatterns = [
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("personuppgifter/", views.privacy, name="privacy"),
    path("kakor/", views.cookies, name="cookies"),
    path("sprak/<str:code>/", views.language, name="language"),
    path("kommun/<slug:slug>/logotyp", views.municipality_logo, name="municipality_logo"),
]
