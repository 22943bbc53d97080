"""Two definitions side by side, field by field: what "Jämför" shows before publishing.

Steps and fields are matched by their keys, so a field that was renamed, moved or given
other choices is one changed field, not one removed and one added. Both definitions are
compared as documents with every default written out (``Definition.to_document``), so a
property left out and the same property written with its default value are the same.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.utils.translation import gettext as _

from sjalvservice.eservices.definitions.schema import Definition


@dataclasses.dataclass(frozen=True)
class Change:
    """One property that differs; ``before`` or ``after`` is "" where it is not set."""

    name: str
    before: str
    after: str


@dataclasses.dataclass(frozen=True)
class Difference:
    """A step, a field, a status or the e-service's own texts, and how it differs."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"

    kind: str
    what: str  # "Steg", "Fält", "Status", "E-tjänsten", "Översättning (en)"
    name: str  # its title or label, in the newer definition where it is still there
    key: str
    where: str  # the step a field is on
    changes: tuple[Change, ...] = ()

    @property
    def kind_label(self) -> str:
        return {
            self.ADDED: _("Tillagd"),
            self.REMOVED: _("Borttagen"),
            self.CHANGED: _("Ändrad"),
        }[self.kind]


# Properties that are shown as their own rows, not as changes of their owner.
_STEP_PARTS = frozenset({"fields"})
_DEFINITION_PARTS = frozenset({"steps", "statuses", "translations"})


def compare(before: Definition, after: Definition) -> list[Difference]:
    """What changed from ``before`` to ``after``, in the order of ``after`` (what was
    removed last): the e-service's own properties, then each step followed by its
    fields, then the statuses and the translations."""
    old, new = before.to_document(), after.to_document()
    differences: list[Difference] = []
    own = _changes(old, new, skip=_DEFINITION_PARTS)
    if own:
        differences.append(
            Difference(Difference.CHANGED, _("E-tjänsten"), after.title, "", "", own)
        )
    differences += _steps(old["steps"], new["steps"])
    differences += _statuses(old.get("statuses") or [], new.get("statuses") or [])
    differences += _translations(old.get("translations") or {}, new.get("translations") or {})
    return differences


def _steps(old_steps: list[dict[str, Any]], new_steps: list[dict[str, Any]]) -> list[Difference]:
    old_by_key = {step["key"]: step for step in old_steps}
    new_keys = [step["key"] for step in new_steps]
    old_keys = [step["key"] for step in old_steps]
    old_fields = {
        field["key"]: (step, position, field)
        for step in old_steps
        for position, field in enumerate(step["fields"])
    }
    new_field_keys = {field["key"] for step in new_steps for field in step["fields"]}
    differences: list[Difference] = []
    for position, step in enumerate(new_steps):
        earlier = old_by_key.get(step["key"])
        if earlier is None:
            differences.append(
                Difference(Difference.ADDED, _("Steg"), step["title"], step["key"], "")
            )
        else:
            changes = list(_changes(earlier, step, skip=_STEP_PARTS))
            if _moved(old_keys, new_keys, step["key"]):
                changes.append(
                    Change(_("plats"), str(old_keys.index(step["key"]) + 1), str(position + 1))
                )
            if changes:
                differences.append(
                    Difference(
                        Difference.CHANGED, _("Steg"), step["title"], step["key"], "",
                        tuple(changes),
                    )
                )  # fmt: skip
        new_field_order = [field["key"] for field in step["fields"]]
        for field_position, field in enumerate(step["fields"]):
            differences += _field(step, field_position, field, old_fields, new_field_order)
    for step in old_steps:
        if step["key"] not in new_keys:
            differences.append(
                Difference(Difference.REMOVED, _("Steg"), step["title"], step["key"], "")
            )
    for key, (step, _position, field) in old_fields.items():
        if key not in new_field_keys:
            differences.append(
                Difference(Difference.REMOVED, _("Fält"), field["label"], key, step["title"])
            )
    return differences


def _field(
    step: dict[str, Any],
    position: int,
    field: dict[str, Any],
    old_fields: dict[str, tuple[dict[str, Any], int, dict[str, Any]]],
    new_order: list[str],
) -> list[Difference]:
    earlier = old_fields.get(field["key"])
    if earlier is None:
        return [
            Difference(Difference.ADDED, _("Fält"), field["label"], field["key"], step["title"])
        ]
    old_step, _old_position, old_field = earlier
    changes = list(_changes(old_field, field))
    if old_step["key"] != step["key"]:
        changes.append(Change(_("steg"), old_step["title"], step["title"]))
    else:
        old_order = [each["key"] for each in old_step["fields"]]
        if _moved(old_order, new_order, field["key"]):
            changes.append(
                Change(_("plats"), str(old_order.index(field["key"]) + 1), str(position + 1))
            )
    if not changes:
        return []
    return [
        Difference(
            Difference.CHANGED, _("Fält"), field["label"], field["key"], step["title"],
            tuple(changes),
        )
    ]  # fmt: skip


def _moved(old_keys: list[str], new_keys: list[str], key: str) -> bool:
    """Whether ``key`` stands elsewhere among the items both lists have: an item is not
    moved by others being added or removed around it."""
    kept = [each for each in old_keys if each in new_keys]
    placed = [each for each in new_keys if each in old_keys]
    return kept.index(key) != placed.index(key)


def _statuses(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Difference]:
    old_by_name = {status["name"]: status for status in old}
    new_names = {status["name"] for status in new}
    differences = []
    for status in new:
        earlier = old_by_name.get(status["name"])
        if earlier is None:
            differences.append(
                Difference(Difference.ADDED, _("Status"), status["name"], status["kind"], "")
            )
        elif changes := _changes(earlier, status):
            differences.append(
                Difference(
                    Difference.CHANGED, _("Status"), status["name"], status["kind"], "", changes
                )
            )
    for status in old:
        if status["name"] not in new_names:
            differences.append(
                Difference(Difference.REMOVED, _("Status"), status["name"], status["kind"], "")
            )
    return differences


def _translations(old: dict[str, Any], new: dict[str, Any]) -> list[Difference]:
    differences = []
    for language in sorted(set(old) | set(new)):
        changes = _changes(_flat(old.get(language) or {}), _flat(new.get(language) or {}))
        if changes:
            what = _("Översättning (%(language)s)") % {"language": language}
            differences.append(
                Difference(Difference.CHANGED, what, language, language, "", changes)
            )
    return differences


def _changes(
    old: dict[str, Any], new: dict[str, Any], *, skip: frozenset[str] = frozenset()
) -> tuple[Change, ...]:
    return tuple(
        Change(name, _shown(old.get(name)), _shown(new.get(name)))
        for name in sorted((set(old) | set(new)) - skip)
        if old.get(name) != new.get(name)
    )


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested translations as one level: ``fields.rubrik.label``."""
    flat: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{name}."))
        elif value is not None:
            flat[f"{prefix}{name}"] = value
    return flat


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
