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
    path("mina-sidor/koplatser/", views.my_queue_places, name="my_queue_places"),
    path("mina-sidor/bokningar/", views.my_bookings, name="my_bookings"),
]
