from django.urls import path

from sjalvservice.backoffice import views_auth

urlpatterns = [
    path("logga-in/", views_auth.login, name="login"),
]
