"""The organisation block: an organisation added in an e-service joins Mina engagemang."""

import pytest
from django.core.management import call_command

from sjalvservice.accounts.models import Engagement, Organisation, User
from sjalvservice.cases import services
from sjalvservice.cases.models import Case
from sjalvservice.eservices.models import EService


@pytest.fixture
def jenny(db):
    call_command("demo", quiet=True)
    return User.objects.get(personal_identity_number="198101059825")


def submit_with(jenny, organisation):
    eservice = EService.objects.get(slug="serveringstillstand")
    case = services.start_draft(eservice, owner=jenny)
    return services.submit(case, by=jenny, answers={"organisation": organisation})


def test_a_new_organisation_is_added_to_my_engagements_on_submit(jenny):
    submit_with(jenny, {"id": None, "organisation_number": "5560000001", "name": "Krogen AB"})
    organisation = Organisation.objects.get(organisation_number="5560000001")
    assert organisation.name == "Krogen AB"
    assert Engagement.objects.filter(user=jenny, organisation=organisation).exists()


def test_choosing_an_existing_organisation_adds_nothing(jenny):
    krogen = Organisation.objects.create(organisation_number="5560000001", name="Krogen AB")
    Engagement.objects.create(user=jenny, organisation=krogen, name="Krogen AB")
    submit_with(jenny, {"id": krogen.pk, "organisation_number": "5560000001", "name": "Krogen AB"})
    assert Organisation.objects.count() == 1
    assert Engagement.objects.count() == 1


def test_the_block_offers_my_organisations_and_mina_engagemang_lists_them(client, jenny):
    krogen = Organisation.objects.create(organisation_number="5560000001", name="Krogen AB")
    Engagement.objects.create(user=jenny, organisation=krogen, name="Krogen AB")
    client.force_login(jenny)
    step = client.get("/tjanster/serveringstillstand/starta/").content.decode()
    assert "Krogen AB" in step
    page = client.get("/mina-sidor/engagemang/").content.decode()
    assert "Krogen AB" in page
    assert "556000-0001" in page


def test_another_persons_organisations_are_not_offered(client, jenny):
    bertil = User.objects.get(personal_identity_number="197504129912")
    krogen = Organisation.objects.create(organisation_number="5560000001", name="Krogen AB")
    Engagement.objects.create(user=bertil, organisation=krogen, name="Krogen AB")
    client.force_login(jenny)
    assert "Krogen AB" not in client.get("/tjanster/serveringstillstand/starta/").content.decode()
    assert "Krogen AB" not in client.get("/mina-sidor/engagemang/").content.decode()
    assert Case.objects.count() == 0


def test_an_e_service_never_renames_another_persons_organisation(jenny):
    bertil = User.objects.get(personal_identity_number="197504129912")
    eservice = EService.objects.get(slug="serveringstillstand")
    first = {"id": None, "organisation_number": "5560000001", "name": "Krogen AB"}
    services.submit(services.start_draft(eservice, owner=jenny), by=jenny,
                    answers={"organisation": first})  # fmt: skip
    hijack = {**first, "name": "Bertils Kapade AB"}
    services.submit(services.start_draft(eservice, owner=bertil), by=bertil,
                    answers={"organisation": hijack})  # fmt: skip
    assert Engagement.objects.get(user=jenny).name == "Krogen AB"
    assert Engagement.objects.get(user=bertil).name == "Bertils Kapade AB"
    assert Organisation.objects.get().name == "Krogen AB"


def start_with(client, jenny, number, organisation_name=""):
    from sjalvservice.cases.tests.fixtures import CONTACT_POST

    client.force_login(jenny)
    return client.post("/tjanster/serveringstillstand/starta/", {
        "organisation__organisation_number": number, "organisation__name": organisation_name,
        **CONTACT_POST, "action": "next",
    })  # fmt: skip


def test_the_block_fetches_the_name_from_bolagsverket(client, jenny, bolagsverket):
    client.force_login(jenny)
    html = client.get("/tjanster/serveringstillstand/starta/").content.decode()
    assert "Lämna tomt så hämtas namnet från Bolagsverket." in html
    response = start_with(client, jenny, "559300-4285")
    assert response.status_code == 302
    case = Case.objects.get(owner=jenny)
    assert case.answers["organisation"]["name"] == "Testbolaget i Lycksele AB"


def test_without_an_answer_from_bolagsverket_the_name_is_asked_for(client, jenny, bolagsverket):
    bolagsverket.fail_next(503, count=5, endpoint="organisationer")
    html = start_with(client, jenny, "559300-4285").content.decode()
    assert "Skriv organisationens namn" in html
    assert "Testbolaget" not in html


def test_without_bolagsverket_the_name_is_asked_for(client, jenny):
    html = start_with(client, jenny, "559300-4285").content.decode()
    assert "Skriv organisationens namn" in html
    assert "hämtas namnet från Bolagsverket" not in html
