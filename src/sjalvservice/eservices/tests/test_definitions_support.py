"""Helpers shared by the tests of e-service definitions (this module has no tests of its own)."""

from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from sjalvservice.eservices.definitions import Definition, parse_definition


def document(*steps, **extra):
    """A definition document; each step is ``(key, [fields])`` or ``(key, [fields], condition)``."""
    return {
        "schema_version": 1,
        "title": "Testtjänst",
        "steps": [
            {"key": key, "title": key.capitalize(), "fields": list(fields),
             **({"condition": rest[0]} if rest else {})}
            for key, fields, *rest in steps
        ],
        **extra,
    }  # fmt: skip


def definition(*fields, **extra) -> Definition:
    """A one-step definition (step "steg") with these fields."""
    return parse_definition(document(("steg", fields), **extra))


def posted(**values) -> QueryDict:
    """POST data; a list value posts the key several times."""
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def uploads(**files) -> MultiValueDict:
    return MultiValueDict({key: value if isinstance(value, list) else [value]
                           for key, value in files.items()})  # fmt: skip


def step_form(*fields, answers=None, files=None, **data):
    """A bound form of a one-step definition with these fields, posted with ``data``."""
    from sjalvservice.eservices.definitions import build_step_form

    return build_step_form(
        definition(*fields), "steg", answers=answers or {}, data=posted(**data), files=files
    )


def errors_of(form) -> dict[str, list[tuple[str, str]]]:
    """``{field name: [(message, code)]}``."""
    return {
        name: [(error["message"], error["code"]) for error in errors]
        for name, errors in form.errors.get_json_data().items()
    }
