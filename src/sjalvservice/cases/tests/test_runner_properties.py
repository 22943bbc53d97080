"""Random answers for every step of every demo e-service never make the runner fail."""

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sjalvservice.accounts.models import User
from sjalvservice.cases import runner
from sjalvservice.cases.models import Case
from sjalvservice.eservices.definitions import build_step_form
from sjalvservice.eservices.models import EService

TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "ja", "nej", "0", "-1", "1e9", "2026-13-45", "19810105-9825",
                     "a" * 300, "<script>", "1 250,5", "070-123 45 67", "x@y.se"]),
)  # fmt: skip


@pytest.fixture
def demo(db):
    """The demo e-services, loaded once per test; the examples share its transaction."""
    call_command("demo", quiet=True)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_posts_to_every_step_never_fail(demo, data):
    eservice = data.draw(st.sampled_from(list(EService.objects.published().order_by("slug"))))
    client = Client(raise_request_exception=True)
    client.force_login(User.objects.get(personal_identity_number="198101059825"))
    definition = runner.definition_of_version(eservice.current_version)
    step = data.draw(st.sampled_from(definition.steps))
    form = build_step_form(definition, step.key, answers={}, all_fields=True)
    posted = {
        name: data.draw(TEXT if not name.endswith(("notify_email", "notify_sms")) else
                        st.sampled_from(["", "on"]))
        for name in form.fields
    }  # fmt: skip
    posted["action"] = data.draw(st.sampled_from(["next", "previous", "save", "nonsense"]))
    annas = Case.objects.filter(owner__personal_identity_number="198101059825")
    before = annas.count()
    response = client.post(f"/tjanster/{eservice.slug}/starta/", posted)
    assert response.status_code in {200, 302}
    if annas.count() == before:
        # "Nästa" with errors on the first step starts no draft; "Spara" always does.
        assert response.status_code == 200
        saved = client.post(f"/tjanster/{eservice.slug}/starta/", {**posted, "action": "save"})
        assert saved.status_code == 302
    case = annas.latest("pk")
    for visible in runner.visible_steps(definition, case.answers):
        page = client.get(f"/e-tjanst/{case.reference}/steg/{visible.key}/")
        assert page.status_code == 200
    assert client.get(f"/e-tjanst/{case.reference}/forhandsgranska/").status_code == 200
