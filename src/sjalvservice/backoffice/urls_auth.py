from django.urls import path

from sjalvservice.backoffice import views_auth

urlpatterns = [
    path("logga-in/", views_auth.login, name="login"),
    path("logga-in/kod/", views_auth.verify, name="verify"),
    path("logga-in/aktivera/", views_auth.enrol, name="enrol"),
    path("logga-ut/", views_auth.logout, name="logout"),
]
