"""The API's reference page, ``/api/v1/docs``: the OpenAPI document read as a page, made
on the server (no script from elsewhere), for people who integrate a system."""

from __future__ import annotations

import json
import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

METHODS = ("get", "post", "put", "patch", "delete")


# The little Markdown the document's texts use: **strong**, *emphasis*, `code`.
_MARKS = [
    (re.compile(r"\*\*(.+?)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"`(.+?)`"), r"<code>\1</code>"),
    (re.compile(r"\*(.+?)\*"), r"<em>\1</em>"),
]


def paragraphs(text: str) -> list[SafeString]:
    """The document's text as paragraphs: lines of one paragraph joined, the marks above
    made HTML after everything else was escaped."""
    found = []
    for block in re.split(r"\n\s*\n", text.strip()):
        html = str(escape(" ".join(line.strip() for line in block.splitlines())))
        for pattern, replacement in _MARKS:
            html = pattern.sub(replacement, html)
        if html:
            found.append(mark_safe(html))  # noqa: S308 (escaped above; only our marks added)
    return found


def _schema_name(schema: dict[str, Any] | None) -> str:
    if not schema:
        return ""
    reference = schema.get("$ref") or (schema.get("items") or {}).get("$ref", "")
    name = reference.rsplit("/", 1)[-1]
    return f"{name}[]" if "items" in schema and name else name or schema.get("type", "")


def _first_schema(response: dict[str, Any]) -> dict[str, Any] | None:
    content: dict[str, Any] = response.get("content") or {}
    for media in content.values():
        schema: dict[str, Any] | None = media.get("schema")
        return schema
    return None


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            found.append(
                {
                    "anchor": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": paragraphs(operation.get("description", "")),
                    "tag": (operation.get("tags") or [""])[0],
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter["in"],
                            "required": parameter.get("required", False),
                            "type": _schema_name(parameter.get("schema")),
                            "description": parameter.get("description", "")
                            or parameter.get("schema", {}).get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "body": [
                        {"type": kind, "schema": _schema_name(content.get("schema"))}
                        for kind, content in body.items()
                    ],
                    "responses": [
                        {
                            "status": status,
                            "schema": _schema_name(_first_schema(response)),
                        }
                        for status, response in operation.get("responses", {}).items()
                    ],
                }
            )
    return found


@require_safe
def reference(request: HttpRequest) -> HttpResponse:
    from sjalvservice.api.v1 import api

    document = api.get_openapi_schema(path_prefix=request.path.removesuffix("docs"))
    schemas = document.get("components", {}).get("schemas", {})
    context = {
        "title": document["info"]["title"],
        "description": paragraphs(document["info"].get("description", "")),
        "operations": _operations(document),
        "schemas": [
            {"name": name, "text": json.dumps(schema, indent=2, ensure_ascii=False)}
            for name, schema in sorted(schemas.items())
        ],
        "openapi_url": request.path.removesuffix("docs") + "openapi.json",
    }
    return render(request, "api/reference.html", context)
