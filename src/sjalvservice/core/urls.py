from django.urls import path

from sjalvservice.core import views

app_name = "core"

urlpatterns = [
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("personuppgifter/", views.privacy, name="privacy"),
    path("kakor/", views.cookies, name="cookies"),
    path("sprak/<str:code>/", views.language, name="language"),
]
