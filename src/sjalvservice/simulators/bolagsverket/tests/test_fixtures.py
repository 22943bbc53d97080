"""The invented organisations in ``fixtures/`` and how they are loaded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..organisations import FIXTURE_DIR, is_identitetsbeteckning, load_fixtures, luhn_ok
from .support import BOATS, COMPANY


def test_both_fixtures_are_loaded_by_number() -> None:
    assert sorted(load_fixtures()) == [COMPANY, BOATS]


@pytest.mark.parametrize("number", [BOATS, COMPANY])
def test_every_fixture_has_the_fields_the_portal_reads(number: str) -> None:
    organisation = load_fixtures()[number]
    assert organisation["organisationsidentitet"]["identitetsbeteckning"] == number
    assert organisation["organisationsnamn"]["organisationsnamnLista"][0]["namn"]
    assert set(organisation["juridiskForm"]) >= {"kod", "klartext"}
    address = organisation["postadressOrganisation"]["postadress"]
    assert set(address) == {"utdelningsadress", "postnummer", "postort"}
    assert address["postort"] == "Lycksele"
    assert address["postnummer"].startswith("921")
    assert organisation["verksamOrganisation"]["kod"] in ("Ja", "Nej")
    assert organisation["organisationsdatum"]["registreringsdatum"]
    assert organisation["naringsgrenOrganisation"]["sni"][0]["kod"]
    assert organisation["verksamhetsbeskrivning"]["beskrivning"]


def test_the_legal_forms_match_the_first_digit() -> None:
    fixtures = load_fixtures()
    assert fixtures[BOATS]["juridiskForm"]["klartext"] == "Ideell förening"
    assert fixtures[COMPANY]["juridiskForm"]["klartext"] == "Aktiebolag"


def test_every_fixture_file_is_named_by_its_number() -> None:
    for path in FIXTURE_DIR.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert path.stem == data["organisationsidentitet"]["identitetsbeteckning"]


def test_a_fixture_under_the_wrong_name_is_refused(tmp_path: Path) -> None:
    (tmp_path / "5560000001.json").write_text(
        (FIXTURE_DIR / f"{COMPANY}.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="holds the organisation"):
        load_fixtures(tmp_path)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (COMPANY, True),
        (BOATS, True),
        ("2120002460", True),
        ("5593004286", False),
        ("559300-4285", False),
        ("０１２３４５６７８９", False),
        (5593004285, False),
    ],
)
def test_identitetsbeteckning_is_ten_digits_with_a_check_digit(value: object, valid: bool) -> None:
    assert is_identitetsbeteckning(value) is valid


def test_luhn_agrees_with_known_numbers() -> None:
    assert luhn_ok("8112189876")
    assert not luhn_ok("8112189875")
