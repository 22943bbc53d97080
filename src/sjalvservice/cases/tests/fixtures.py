"""Fixtures about e-services and cases, shared by the cases, back-office and browser tests."""

import pytest

SUGGESTION = {
    "schema_version": 1,
    "title": "Medborgarförslag",
    "steps": [
        {
            "key": "personuppgifter",
            "title": "Personuppgifter",
            "fields": [{"key": "kontakt", "type": "contact", "label": "Personuppgifter"}],
        },
        {
            "key": "forslag",
            "title": "Förslag",
            "fields": [
                {"key": "rubrik", "type": "text", "label": "Rubrik", "required": True,
                 "max_length": 120},
                {"key": "beskrivning", "type": "textarea", "label": "Beskriv ditt förslag",
                 "required": True},
                {"key": "har_bilaga", "type": "yes_no", "label": "Vill du bifoga en fil?"},
                {"key": "bilagor", "type": "file", "label": "Bifoga filer",
                 "condition": {"field": "har_bilaga", "equals": "ja"}},
            ],
        },
    ],
}  # fmt: skip

CONTACT_POST = {
    "kontakt__first_name": "Anna",
    "kontakt__last_name": "Testersson",
    "kontakt__street": "Storgatan 1",
    "kontakt__postal_code": "931 30",
    "kontakt__city": "Skellefteå",
    "kontakt__phone": "",
    "kontakt__email": "anna@example.se",
    "kontakt__mobile": "070-123 45 67",
    "kontakt__notify_email": "on",
}


@pytest.fixture
def category(db):
    from sjalvservice.eservices.models import Category

    return Category.objects.create(name="Demokrati och påverkan", slug="demokrati")


@pytest.fixture
def suggestion(skelleftea, category):
    """Medborgarförslag in Skellefteå, needing login, with one published version."""
    from sjalvservice.eservices.models import EService
    from sjalvservice.eservices.services import publish_version

    eservice = EService.objects.create(
        municipality=skelleftea, category=category, slug="medborgarforslag",
        title="Medborgarförslag", short_description="Lämna ett förslag.",
        requires_login=True,
    )  # fmt: skip
    publish_version(eservice, SUGGESTION)
    return eservice


ANSWERS = {
    "kontakt": {
        "first_name": "Anna", "last_name": "Testersson", "street": "Storgatan 1",
        "postal_code": "93130", "city": "Skellefteå", "phone": "", "email": "anna@example.se",
        "mobile": "0701234567", "notify_email": True, "notify_sms": False,
    },
    "rubrik": "Fler bänkar",
    "beskrivning": "Vid älven.",
    "har_bilaga": "nej",
}  # fmt: skip


@pytest.fixture
def annas_case(suggestion, anna):
    """Anna's submitted Medborgarförslag."""
    from sjalvservice.cases import services

    case = services.start_draft(suggestion, owner=anna)
    return services.submit(case, by=anna, answers=ANSWERS)
