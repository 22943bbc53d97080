from django.urls import path

from sjalvservice.api import views

app_name = "api_clients"

urlpatterns = [
    path("", views.api_clients, name="clients"),
    path("ny/", views.api_client_add, name="client_add"),
    path("<int:client_id>/", views.api_client, name="client"),
    path("<int:client_id>/nycklar/", views.api_token_add, name="token_add"),
    path(
        "<int:client_id>/nycklar/<int:token_id>/aterkalla/",
        views.api_token_revoke,
        name="token_revoke",
    ),
    path("<int:client_id>/webhooks/ny/", views.webhook_add, name="webhook_add"),
    path("<int:client_id>/webhooks/<int:webhook_id>/", views.webhook, name="webhook"),
    path(
        "<int:client_id>/webhooks/<int:webhook_id>/testa/",
        views.webhook_test,
        name="webhook_test",
    ),
]
