from django.urls import path

from sjalvservice.eid import views
from sjalvservice.eid.bankid import views as bankid
from sjalvservice.eid.saml import views as saml

app_name = "eid"

urlpatterns = [
    path("logga-in/", views.login, name="login"),
    path("logga-ut/", views.logout, name="logout"),
    path("logga-in/e-legitimation/", bankid.choose, name="bankid"),
    path("logga-in/e-legitimation/start/", bankid.start, name="bankid_start"),
    path("logga-in/e-legitimation/vantar/", bankid.wait, name="bankid_wait"),
    path("logga-in/e-legitimation/status/", bankid.status, name="bankid_status"),
    path("logga-in/e-legitimation/qr/", bankid.qr, name="bankid_qr"),
    path("logga-in/e-legitimation/avbryt/", bankid.cancel, name="bankid_cancel"),
    path("logga-in/region/", saml.start, name="saml_login"),
    # Addresses registered with the federation: never change them.
    path("saml/acs/", saml.acs, name="saml_acs"),
    path("saml/slo/", saml.sls, name="saml_sls"),
    path("saml/metadata/", saml.metadata, name="saml_metadata"),
    path("utloggad/", views.logged_out, name="logged_out"),
    path("session/", views.session_status, name="session_status"),
    path("session/forlang/", views.session_extend, name="session_extend"),
]
