from django.urls import path

from sjalvservice.backoffice import views_manage

urlpatterns = [
    path("administrera/", views_manage.manage, name="manage"),
]
