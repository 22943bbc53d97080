from django.urls import path

from sjalvservice.backoffice.views import auth

urlpatterns = [
    path("logga-in/", auth.login, name="login"),
    path("logga-in/kod/", auth.verify, name="verify"),
    path("logga-in/aktivera/", auth.enrol, name="enrol"),
    path("logga-ut/", auth.logout, name="logout"),
]
