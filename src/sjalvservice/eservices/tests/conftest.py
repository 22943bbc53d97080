"""The catalogue's own cast: categories and e-services, built with plain ORM calls."""

from __future__ import annotations

import hashlib
import json

import pytest

from sjalvservice.eservices.models import Category, EService, EServiceVersion

SIMPLE_DEFINITION = {
    "schema_version": 1,
    "title": "Testtjänst",
    "steps": [
        {
            "key": "uppgifter",
            "title": "Uppgifter",
            "fields": [{"key": "namn", "type": "text", "label": "Namn", "required": True}],
        }
    ],
}


def make_eservice(
    municipality,
    category,
    *,
    slug: str,
    title: str,
    published: bool = True,
    **fields,
) -> EService:
    """An e-service; published ones get a version 1 stored directly (no definition checks)."""
    eservice = EService.objects.create(
        municipality=municipality, category=category, slug=slug, title=title, **fields
    )
    if published:
        text = json.dumps({**SIMPLE_DEFINITION, "title": title}, sort_keys=True)
        EServiceVersion.objects.create(
            eservice=eservice,
            number=1,
            definition=json.loads(text),
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
        )
    return eservice


@pytest.fixture
def building(db):
    return Category.objects.create(name="Bygga och bo", slug="bygga-och-bo", position=1)


@pytest.fixture
def streets(db):
    return Category.objects.create(name="Gator och parker", slug="gator-och-parker", position=2)


@pytest.fixture
def building_permit(skelleftea, building):
    return make_eservice(
        skelleftea, building, slug="bygglov", title="Anmälan om bygglov",
        short_description="Sök bygglov för att bygga nytt eller bygga till.",
        description="Du behöver bygglov för att bygga ett hus.\n\nBifoga ritningar.",
        keywords="tillbyggnad, attefallshus\ngarage",
    )  # fmt: skip


@pytest.fixture
def fault_report(lycksele, streets):
    return make_eservice(
        lycksele, streets, slug="felanmalan", title="Felanmälan gata och park",
        short_description="Anmäl fel på gator och i parker.",
        description="Berätta var felet finns, till exempel en trasig gatlampa.",
        keywords="gatlykta, potthål, klotter", requires_login=False,
    )  # fmt: skip
