from django.urls import path

from sjalvservice.reservations import views

app_name = "reservations"

urlpatterns = [
    path("mina-sidor/koplatser/", views.my_queue_places, name="my_queue_places"),
    path(
        "mina-sidor/koplatser/<int:place_id>/bekrafta/",
        views.confirm_place,
        name="confirm_place",
    ),
    path("mina-sidor/koplatser/<int:place_id>/lamna/", views.leave_queue, name="leave_queue"),
    path("mina-sidor/bokningar/", views.my_bookings, name="my_bookings"),
    path(
        "mina-sidor/bokningar/<int:booking_id>/avboka/",
        views.cancel_booking,
        name="cancel_booking",
    ),
]
