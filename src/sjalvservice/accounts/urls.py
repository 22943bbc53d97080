from django.contrib.auth.views import LogoutView
from django.urls import path

from sjalvservice.accounts import views

app_name = "accounts"

urlpatterns = [
    path("logga-in/", views.login, name="login"),
    path("logga-ut/", LogoutView.as_view(), name="logout"),
    path("mina-sidor/", views.my_pages, name="my_pages"),
    path("mina-sidor/uppgifter/", views.my_details, name="my_details"),
    path("mina-sidor/engagemang/", views.my_engagements, name="my_engagements"),
    path("mina-sidor/koplatser/", views.my_queue_places, name="my_queue_places"),
    path("mina-sidor/bokningar/", views.my_bookings, name="my_bookings"),
]
