"""The statuses a handler may choose: one list per e-service, each name once."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sjalvservice.backoffice.forms_cases import StatusForm
from sjalvservice.cases import services
from sjalvservice.cases.models import Status, StatusKind
from sjalvservice.eservices.services import publish_version
from sjalvservice.eservices.transfer import demo_files, import_eservice_file

TEXT = {"key": "x", "type": "text", "label": "X"}


def option_names(case):
    return [name for _pk, name in StatusForm(case=case).fields["status"].choices]


@pytest.mark.parametrize("path", demo_files(), ids=lambda path: path.stem)
def test_no_demo_e_service_offers_a_status_name_twice_after_submissions(
    skelleftea, lycksele, boat_places, lyckan, anna, bertil, julia, path
):
    eservice = import_eservice_file(path).eservice
    case = services.submit(services.start_draft(eservice, owner=anna), by=anna, answers={})
    awaiting = services.status_for(case, StatusKind.AWAITING_SUPPLEMENT)
    services.set_status(case, status=awaiting, by=julia, message="Bifoga ritningen.")
    case = services.supplement(case, by=anna, answers={"x": "1"})
    second = services.submit(services.start_draft(eservice, owner=bertil), by=bertil, answers={})

    names = option_names(second)
    assert len(names) == len(set(names)), names
    assert case.status.name == "Kompletterat"
    assert case.status.municipality_id is None
    shared = set(Status.objects.shared().values_list("name", flat=True))
    own = set(
        Status.objects.filter(municipality=eservice.municipality).values_list("name", flat=True)
    )
    assert not shared & own


def test_the_list_is_the_definitions_statuses_in_its_order(skelleftea, category, anna, julia):
    from sjalvservice.eservices.models import EService

    eservice = EService.objects.create(
        municipality=skelleftea, category=category, slug="bygglov", title="Bygglov"
    )
    definition = {
        "schema_version": 1, "title": "Bygglov",
        "steps": [{"key": "a", "title": "A", "fields": [TEXT]}],
        "statuses": [
            {"name": "Sparat", "kind": "DRAFT"}, {"name": "Mottaget", "kind": "SUBMITTED"},
            {"name": "Väntar på komplettering", "kind": "AWAITING_SUPPLEMENT"},
            {"name": "Kompletterat", "kind": "SUPPLEMENTED"},
            {"name": "Beviljat", "kind": "CLOSED"}, {"name": "Avslag", "kind": "CLOSED"},
        ],
    }  # fmt: skip
    publish_version(eservice, definition)
    case = services.submit(services.start_draft(eservice, owner=anna), by=anna, answers={})

    assert option_names(case) == [
        "Mottaget", "Väntar på komplettering", "Kompletterat", "Beviljat", "Avslag"
    ]  # fmt: skip
    assert case.status.name == "Mottaget"
    assert case.status.municipality == skelleftea
    assert Status.objects.filter(name="Mottaget").count() == 1


def test_publishing_makes_the_municipalitys_own_statuses_once(skelleftea, category):
    from sjalvservice.eservices.models import EService

    definition = {
        "schema_version": 1, "title": "T",
        "steps": [{"key": "a", "title": "A", "fields": [TEXT]}],
        "statuses": [
            {"name": "Sparat", "kind": "DRAFT"}, {"name": "Inskickat", "kind": "SUBMITTED"},
            {"name": "Väntar på komplettering", "kind": "AWAITING_SUPPLEMENT"},
            {"name": "Kompletterat", "kind": "SUPPLEMENTED"},
            {"name": "Beviljat", "kind": "CLOSED"},
        ],
    }  # fmt: skip
    for slug in ("a", "b"):
        eservice = EService.objects.create(
            municipality=skelleftea, category=category, slug=slug, title=slug
        )
        publish_version(eservice, definition)
    assert list(Status.objects.filter(municipality=skelleftea).values_list("name", "kind")) == [
        ("Beviljat", "CLOSED")
    ]


@pytest.mark.django_db(transaction=True)
def test_the_migration_merges_copies_of_shared_statuses_and_keeps_the_history():
    executor = MigrationExecutor(connection)
    executor.migrate([("cases", "0004_messages_notes_handling")])
    apps = executor.loader.project_state([("cases", "0004_messages_notes_handling")]).apps
    Municipality = apps.get_model("core", "Municipality")
    EService = apps.get_model("eservices", "EService")
    Category = apps.get_model("eservices", "Category")
    version_model = apps.get_model("eservices", "EServiceVersion")
    status_model = apps.get_model("cases", "Status")
    case_model = apps.get_model("cases", "Case")
    event_model = apps.get_model("cases", "CaseEvent")
    town = Municipality.objects.create(
        name="Skellefteå kommun", slug="s", organisation_number="2120002742"
    )
    eservice = EService.objects.create(
        municipality=town, category=Category.objects.create(name="K", slug="k"), slug="e", title="E"
    )
    version = version_model.objects.create(
        eservice=eservice, number=1, content_hash="x",
        definition={"statuses": [{"name": "Inskickat", "kind": "SUBMITTED"},
                                 {"name": "Beviljat", "kind": "CLOSED"}]},
    )  # fmt: skip
    copy = status_model.objects.create(municipality=town, name="Inskickat", kind="SUBMITTED")
    case = case_model.objects.create(
        eservice=eservice, eservice_version=version, municipality=town, status=copy, number=7
    )
    event_model.objects.create(case=case, kind="submitted", status=copy)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    shared = Status.objects.get(municipality=None, name="Inskickat")
    assert not Status.objects.filter(pk=copy.pk).exists()
    assert case_model.objects.get(pk=case.pk).status_id == shared.pk
    assert list(
        event_model.objects.filter(case_id=case.pk).values_list("status_id", flat=True)
    ) == [shared.pk]
    assert Status.objects.filter(municipality_id=town.pk, name="Beviljat", kind="CLOSED").exists()


@pytest.fixture
def own_copies(skelleftea):
    """Skellefteå's own "Inskickat" and "Kompletterat", named as the shared ones."""
    return {
        kind: Status.objects.create(municipality=skelleftea, name=name, kind=kind)
        for name, kind in [
            ("Inskickat", StatusKind.SUBMITTED),
            ("Kompletterat", StatusKind.SUPPLEMENTED),
        ]
    }


def test_a_municipalitys_own_status_replaces_the_shared_one_of_its_name(annas_case, own_copies):
    choices = StatusForm(case=annas_case).fields["status"].choices
    names = [name for _pk, name in choices]
    pks = {pk for pk, _name in choices}

    assert names == [
        "Inskickat", "Under behandling", "Väntar på komplettering", "Kompletterat", "Avslutat"
    ]  # fmt: skip
    assert {status.pk for status in own_copies.values()} <= pks
    assert Status.objects.default_for(StatusKind.SUBMITTED).pk not in pks
    assert Status.objects.default_for(StatusKind.SUPPLEMENTED).pk not in pks


def test_a_case_with_the_replaced_shared_status_shows_its_own_of_that_name_as_chosen(
    annas_case, own_copies
):
    assert annas_case.status == Status.objects.default_for(StatusKind.SUBMITTED)
    form = StatusForm(case=annas_case)
    assert form["status"].value() == own_copies[StatusKind.SUBMITTED].pk


def test_cases_submitted_after_get_the_municipalitys_own_status(suggestion, bertil, own_copies):
    case = services.submit(services.start_draft(suggestion, owner=bertil), by=bertil, answers={})
    assert case.status == own_copies[StatusKind.SUBMITTED]
    assert services.status_for(case, StatusKind.SUPPLEMENTED) == own_copies[StatusKind.SUPPLEMENTED]


def test_an_own_status_of_another_kind_does_not_replace_the_shared_one(annas_case, skelleftea):
    Status.objects.create(municipality=skelleftea, name="Inskickat", kind=StatusKind.CLOSED)
    statuses = services.statuses_for(annas_case)
    submitted = next(status for status in statuses if status.name == "Inskickat")
    assert submitted == Status.objects.default_for(StatusKind.SUBMITTED)
    assert [status.name for status in statuses].count("Inskickat") == 1


def test_the_list_is_in_the_order_of_the_kinds(skelleftea, category, anna):
    from sjalvservice.eservices.models import EService

    eservice = EService.objects.create(
        municipality=skelleftea, category=category, slug="bygglov", title="Bygglov"
    )
    definition = {
        "schema_version": 1, "title": "Bygglov",
        "steps": [{"key": "a", "title": "A", "fields": [TEXT]}],
        "statuses": [
            {"name": "Beviljat", "kind": "CLOSED"},
            {"name": "Kompletterat", "kind": "SUPPLEMENTED"},
            {"name": "Sparat", "kind": "DRAFT"}, {"name": "Avslag", "kind": "CLOSED"},
            {"name": "Väntar på komplettering", "kind": "AWAITING_SUPPLEMENT"},
            {"name": "Mottaget", "kind": "SUBMITTED"},
        ],
    }  # fmt: skip
    publish_version(eservice, definition)
    case = services.submit(services.start_draft(eservice, owner=anna), by=anna, answers={})

    assert option_names(case) == [
        "Mottaget", "Väntar på komplettering", "Kompletterat", "Beviljat", "Avslag"
    ]  # fmt: skip


def test_the_inbox_filter_offers_each_status_name_once_in_the_order_of_the_kinds(
    client, staff_login, julia, annas_case, own_copies
):
    from sjalvservice.backoffice.selectors import filter_choices

    Status.objects.create(municipality=annas_case.municipality, name="Beviljat", kind="CLOSED")
    statuses = filter_choices(julia).statuses
    names = [name for _pk, name, _kind in statuses]

    assert len(names) == len(set(names)), names
    assert names[:5] == [
        "Inskickat", "Under behandling", "Väntar på komplettering", "Kompletterat", "Avslutat"
    ]  # fmt: skip
    assert "Beviljat" in names
    assert own_copies[StatusKind.SUBMITTED].pk in {pk for pk, _name, _kind in statuses}
    html = staff_login(client, julia).get("/handlaggare/").content.decode()
    assert html.count(">Inskickat</option>") == 1
    assert html.count(">Kompletterat</option>") == 1


def test_filtering_on_an_own_status_finds_the_cases_with_the_shared_one_it_replaces(
    client, staff_login, julia, suggestion, annas_case, bertil, own_copies
):
    later = services.submit(services.start_draft(suggestion, owner=bertil), by=bertil, answers={})
    assert later.status == own_copies[StatusKind.SUBMITTED]
    handler_client = staff_login(client, julia)
    own = own_copies[StatusKind.SUBMITTED].pk
    html = handler_client.get("/handlaggare/", {"flik": "aktiva", "status": own}).content.decode()

    assert f'href="/handlaggare/arenden/{annas_case.number}/"' in html
    assert f'href="/handlaggare/arenden/{later.number}/"' in html
    in_progress = Status.objects.default_for(StatusKind.IN_PROGRESS).pk
    html = handler_client.get(
        "/handlaggare/", {"flik": "aktiva", "status": in_progress}
    ).content.decode()
    assert "/handlaggare/arenden/" not in html
