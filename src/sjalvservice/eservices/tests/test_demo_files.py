"""The demo e-services: valid, in plain Swedish, and safe to import again and again."""

import pytest

from sjalvservice.eservices.definitions import parse_definition
from sjalvservice.eservices.models import EService
from sjalvservice.eservices.transfer import (
    demo_files,
    export_eservice,
    import_eservice,
    import_eservice_file,
    read_eservice_file,
)

FILES = {path.stem: path for path in demo_files()}


def definition(name):
    return read_eservice_file(FILES[name])["definition"]


def fields_of(name):
    return {field["key"]: field for step in definition(name)["steps"] for field in step["fields"]}


def steps_of(name):
    return {step["key"]: step for step in definition(name)["steps"]}


# The categories a Swedish municipality sorts its e-services in: slug, Swedish, English.
CATEGORIES = {
    "bygga-och-bo": ("Bygga och bo", "Building and housing"),
    "forskola-och-skola": ("Förskola och skola", "Preschool and school"),
    "omsorg-och-stod": ("Omsorg och stöd", "Care and support"),
    "miljo-och-halsa": ("Miljö och hälsa", "Environment and health"),
    "trafik-och-infrastruktur": ("Trafik och infrastruktur", "Traffic and infrastructure"),
    "kultur-och-fritid": ("Kultur och fritid", "Culture and leisure"),
    "naringsliv-och-tillstand": ("Näringsliv och tillstånd", "Business and permits"),
    "kommun-och-politik": ("Kommun och politik", "Municipality and politics"),
}


def test_the_demo_catalogue_fills_every_category_in_both_municipalities():
    files = [read_eservice_file(path) for path in FILES.values()]
    assert len(files) >= 30
    by_category = {}
    for data in files:
        category = data["category"]
        assert category["slug"] in CATEGORIES, data["slug"]
        # One name per category in each language, whichever file is imported first.
        name, english = CATEGORIES[category["slug"]]
        assert (category["name"], data["translations"]["en"]["category"]) == (name, english)
        by_category.setdefault(category["slug"], set()).add(data["municipality"])
    assert set(by_category) == set(CATEGORIES)
    assert {data["municipality"] for data in files} == {"lycksele", "skelleftea"}
    # The handbook's "Mest använda tjänsterna" are there: bygglov, vårdnad, träningstid and
    # camping.
    for slug in ("bygglov", "anmalan-om-vardnad", "ansokan-om-traningstid",
                 "ansokan-om-campingplats"):  # fmt: skip
        assert slug in FILES


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_demo_definition_is_valid(name):
    data = read_eservice_file(FILES[name])
    assert data["slug"] == name
    parsed = parse_definition(data["definition"])
    assert parsed.steps


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_demo_file_imports(skelleftea, lycksele, boat_places, lyckan, name):
    result = import_eservice_file(FILES[name])
    assert result.created
    assert result.version.number == 1


def test_the_citizen_proposal_has_exactly_the_handbooks_two_steps():
    data = read_eservice_file(FILES["medborgarforslag"])
    assert data["municipality"] == "skelleftea"
    assert data["category"]["name"] == "Kommun och politik"
    parsed = parse_definition(data["definition"])
    assert [step.title for step in parsed.steps] == ["Personuppgifter", "Förslag"]
    fields = fields_of("medborgarforslag")
    assert fields["kontakt"]["type"] == "contact"
    assert fields["bilagor"]["type"] == "file"
    assert not fields["bilagor"].get("required", False)


def test_the_fault_report_needs_no_login_and_asks_for_e_mail_only_for_feedback():
    data = read_eservice_file(FILES["felanmalan-gata-och-park"])
    assert data["municipality"] == "lycksele"
    assert data["requires_login"] is False
    fields = fields_of("felanmalan-gata-och-park")
    assert [c["value"] for c in fields["typ_av_fel"]["choices"]] == [
        "gata", "park", "belysning", "annat",
    ]  # fmt: skip
    photo = fields["bilder"]
    assert (photo["type"], photo["max_files"], photo["max_size_mb"]) == ("file", 3, 10)
    assert photo["extensions"] == ["jpg", "jpeg", "png", "heic"]
    assert fields["aterkoppling"]["type"] == "yes_no"
    assert fields["aterkoppling"]["label"] == "Vill du få återkoppling?"
    assert fields["epost"]["condition"] == {"field": "aterkoppling", "equals": "ja"}
    assert not fields["telefon"].get("required", False)


def test_the_building_permit_uses_conditions_on_steps_and_fields():
    steps = steps_of("bygglov")
    fields = fields_of("bygglov")
    assert steps["nybyggnad"]["condition"] == {"field": "typ_av_atgard", "equals": "nybyggnad"}
    assert fields["tillbyggnadens_area"]["condition"] == {
        "field": "typ_av_atgard", "equals": "tillbyggnad",
    }  # fmt: skip
    assert steps["ombud"]["condition"] == {"field": "har_ombud", "equals": "ja"}
    assert fields["ombudets_personnummer"]["type"] == "personal_identity_number"
    assert fields["ritningar"]["type"] == "file"
    assert "fastighetsbeteckning" in fields


def test_the_boat_place_limits_the_boat_length():
    length = fields_of("batplats")["langd"]
    assert (length["type"], length["min"], length["max"]) == ("number", 2, 12)
    assert fields_of("batplats")["onskad_hamn"]["type"] == "choice"
    assert definition("batplats")["queue"] == {"slug": "batplatser"}


def test_booking_a_room_books_lyckan_on_a_step_of_its_own():
    assert steps_of("boka-lokal")["tid"]["fields"] == [fields_of("boka-lokal")["bokad_tid"]]
    assert fields_of("boka-lokal")["bokad_tid"]["resource"] == "lyckan"


def test_importing_the_demo_twice_creates_no_second_version(
    skelleftea, lycksele, boat_places, lyckan
):
    for path in FILES.values():
        import_eservice_file(path)
    results = [import_eservice_file(path) for path in FILES.values()]
    assert not any(result.changed for result in results)
    assert EService.objects.count() == len(FILES)
    assert all(eservice.versions.count() == 1 for eservice in EService.objects.all())


@pytest.mark.parametrize("name", sorted(FILES))
def test_export_then_import_round_trips(skelleftea, lycksele, boat_places, lyckan, name):
    imported = import_eservice_file(FILES[name]).eservice
    exported = export_eservice(imported)
    again = import_eservice(exported)
    assert not again.changed
    assert export_eservice(again.eservice) == exported


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_demo_e_service_is_in_english_in_full(name):
    from sjalvservice.eservices.definitions.translations import untranslated

    data = read_eservice_file(FILES[name])
    missing = untranslated(parse_definition(data["definition"]), "en")
    assert missing == [], [item.path for item in missing]
    english = data["translations"]["en"]
    for key in ("title", "short_description", "description"):
        assert bool(english.get(key)) == bool(data.get(key)), key
    assert english["category"]
    if data["title"] == data["definition"]["title"]:
        assert english["title"] == data["definition"]["translations"]["en"]["title"]
