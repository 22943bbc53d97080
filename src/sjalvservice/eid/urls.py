from django.contrib.auth.views import LogoutView
from django.urls import path

from sjalvservice.eid import views
from sjalvservice.eid.bankid import views as bankid

app_name = "eid"

urlpatterns = [
    path("logga-in/", views.login, name="login"),
    path("logga-ut/", LogoutView.as_view(), name="logout"),
    path("logga-in/e-legitimation/", bankid.choose, name="bankid"),
    path("logga-in/e-legitimation/start/", bankid.start, name="bankid_start"),
    path("logga-in/e-legitimation/vantar/", bankid.wait, name="bankid_wait"),
    path("logga-in/e-legitimation/status/", bankid.status, name="bankid_status"),
    path("logga-in/e-legitimation/qr/", bankid.qr, name="bankid_qr"),
    path("logga-in/e-legitimation/avbryt/", bankid.cancel, name="bankid_cancel"),
    path("utloggad/", views.logged_out, name="logged_out"),
    path("session/", views.session_status, name="session_status"),
    path("session/forlang/", views.session_extend, name="session_extend"),
]
