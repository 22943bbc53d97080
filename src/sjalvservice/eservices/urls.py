from django.urls import path

from sjalvservice.eservices import views

app_name = "eservices"

urlpatterns = [
    path("", views.home, name="home"),
    path("tjanster/", views.catalogue, name="catalogue"),
    path("tjanster/<slug:slug>/", views.detail, name="detail"),
]
