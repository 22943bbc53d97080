"""``{{ text|lang }}``: a Swedish text on a page in another language, marked ``lang="sv"``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter(is_safe=True)
def lang(value: Any) -> SafeString:
    """``value`` escaped; inside ``<span lang="sv">`` when it is a ``SwedishText``."""
    if value is None:
        return SafeString("")
    language = getattr(value, "lang", None)
    if language and isinstance(value, str):
        return format_html('<span lang="{}">{}</span>', language, value)
    return conditional_escape(value)
