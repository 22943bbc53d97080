"""Which app may import which, checked on the source (parsed, never imported).

``core`` sits at the bottom and imports no domain app; each app above it imports only the
apps below it; ``demo`` sits on top and may import any of them. The simulators are
independent peers: they import nothing of the product and the product never imports them
(the demo starts them as processes). Imports inside functions and under ``TYPE_CHECKING``
count like any other. Tests and migrations are not checked.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import sjalvservice

PACKAGE = Path(sjalvservice.__file__).parent
ROOT = "sjalvservice"
# The project modules every product app may import besides the apps below it.
PROJECT_MODULES = {"conf", "settings"}
# Domain app -> the apps it may import (besides itself and PROJECT_MODULES). The demo may
# import anything but the simulators; the simulators only themselves.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "accounts": {"core"},
    "eid": {"core", "accounts"},
    "reservations": {"core", "accounts"},
    "eservices": {"core", "accounts", "reservations"},
    "notifications": {"core", "accounts", "eservices", "reservations"},
    "cases": {"core", "accounts", "eservices", "notifications", "reservations"},
    "backoffice": {
        "core",
        "accounts",
        "eid",
        "eservices",
        "notifications",
        "reservations",
        "cases",
    },
    "api": {
        "core",
        "accounts",
        "eservices",
        "notifications",
        "reservations",
        "cases",
        "backoffice",
    },
}
DEMO, SIMULATORS = "demo", "simulators"


def may_import(app: str, target: str) -> bool:
    """Whether a module of ``app`` may import from ``sjalvservice.<target>``."""
    if target == app:
        return True
    if SIMULATORS in (app, target):
        return False
    return app == DEMO or target in PROJECT_MODULES or target in ALLOWED[app]


@dataclass(frozen=True)
class Violation:
    module: str
    imported: str
    line: int

    def __str__(self) -> str:
        return f"{self.module} imports {self.imported} (line {self.line})"


def imported_modules(
    module: str, source: str, *, is_package: bool = False
) -> list[tuple[str, int]]:
    """Every module of ``sjalvservice`` that ``source`` imports, with its line."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if target == ROOT:
                # `from sjalvservice import core` imports the module sjalvservice.core.
                found += [(f"{ROOT}.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((target, node.lineno))
    return [(name, line) for name, line in found if name.startswith(f"{ROOT}.")]


def forbidden_imports(module: str, source: str, *, is_package: bool = False) -> list[Violation]:
    """The imports of ``source`` (the module ``module``) that its app must not make."""
    app = module.split(".")[1]
    return [
        Violation(module, name, line)
        for name, line in imported_modules(module, source, is_package=is_package)
        if not may_import(app, name.split(".")[1])
    ]


def apps() -> list[str]:
    return sorted(
        path.parent.name for path in PACKAGE.glob("*/__init__.py") if path.parent.name != "tests"
    )


def product_modules() -> list[tuple[str, Path]]:
    """(dotted name, path) of every module of the apps, tests and migrations left out."""
    modules = []
    for app in apps():
        for path in sorted((PACKAGE / app).rglob("*.py")):
            parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
            if {"tests", "migrations"} & set(parts) or parts[-1].startswith(("test_", "conftest")):
                continue
            modules.append((".".join(parts).removesuffix(".__init__"), path))
    return modules


def test_every_app_has_a_rule():
    assert set(apps()) <= {*ALLOWED, DEMO, SIMULATORS}, "add the new app to ALLOWED"


def test_each_app_imports_only_the_apps_it_may():
    violations = [
        str(violation)
        for module, path in product_modules()
        for violation in forbidden_imports(
            module, path.read_text(encoding="utf-8"), is_package=path.name == "__init__.py"
        )
    ]
    assert not violations, "\n".join(violations)


def test_the_checker_finds_every_form_of_import():
    source = (
        "from typing import TYPE_CHECKING\n"
        "import sjalvservice.cases.models\n"
        "from sjalvservice.backoffice import views\n"
        "from sjalvservice import eid, conf\n"
        "from sjalvservice.core.models import Municipality\n"
        "from sjalvservice.settings import DEBUG\n"
        "from . import forms\n"
        "if TYPE_CHECKING:\n"
        "    from sjalvservice.eservices.models import EService\n"
        "def handler():\n"
        "    from ..simulators.bankid import Simulator\n"
        "    from .. import urls\n"
    )
    found = forbidden_imports("sjalvservice.core.views", source)
    assert [(violation.imported, violation.line) for violation in found] == [
        ("sjalvservice.cases.models", 2),
        ("sjalvservice.backoffice", 3),
        ("sjalvservice.eid", 4),
        ("sjalvservice.eservices.models", 9),
        ("sjalvservice.simulators.bankid", 11),
        ("sjalvservice.urls", 12),
    ]
    assert str(found[0]) == "sjalvservice.core.views imports sjalvservice.cases.models (line 2)"


def test_the_simulators_may_import_only_themselves():
    source = (
        "from .orders import Order\n"
        "from ..bankid.persons import TEST_PERSONS\n"
        "from sjalvservice.conf import Env\n"
    )
    found = forbidden_imports("sjalvservice.simulators.bankid.server", source)
    assert [violation.imported for violation in found] == ["sjalvservice.conf"]


def test_a_relative_import_is_resolved_from_the_modules_package():
    source = "from ..eid import providers\n"
    assert [
        violation.imported for violation in forbidden_imports("sjalvservice.accounts.views", source)
    ] == ["sjalvservice.eid"]
    # In a package's __init__.py the package itself is the first level.
    assert forbidden_imports("sjalvservice.accounts.bankid", source, is_package=True) == []


def test_the_demo_may_import_anything_but_the_simulators():
    source = (
        "from sjalvservice.backoffice.models import Assignment\n"
        "from sjalvservice.eid import providers\n"
        "from sjalvservice import urls\n"
        "import sjalvservice.simulators.bankid\n"
    )
    found = forbidden_imports("sjalvservice.demo.loading", source)
    assert [violation.imported for violation in found] == ["sjalvservice.simulators.bankid"]
