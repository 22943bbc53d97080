from django.urls import path

from sjalvservice.notifications import views

app_name = "notifications"

urlpatterns = [
    path(
        "notiser/sms/leveransrapport/<int:delivery_id>/<str:signature>/",
        views.sms_report,
        name="sms_report",
    ),
]
