"""Filters and the ``{% clause %}`` tag available to every piece of contract wording."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from contracts import formatting
from core.exceptions import InvalidInput

register = template.Library()

CLAUSES_KEY = "__clauses__"
ARTICLE_KEY = "contract_article_counter"


@register.filter
def pct(value: Decimal | str) -> str:
    return formatting.percent(value)


@register.filter
def money(value: Decimal | str, language: str) -> str:
    return formatting.money(value, language)


@register.filter
def longdate(value: date, language: str) -> str:
    return formatting.long_date(value, language)


@register.simple_tag(takes_context=True)
def clause(context: Any, code: str) -> SafeString:
    """Include the clause ``code`` from the library as the next numbered article."""
    from contracts.rendering.engine import missing_names

    clauses = context.get(CLAUSES_KEY) or {}
    if code not in clauses:
        raise InvalidInput(
            f"the wording includes clause {code!r}, but no approved version of it exists in "
            f"{context.get('language')}; approve one first",
            field="body",
        )
    version, compiled = clauses[code]
    number = context.render_context.get(ARTICLE_KEY, 0) + 1
    context.render_context[ARTICLE_KEY] = number
    with context.push():
        body = compiled.render(context)
    missing = missing_names(body)
    if missing:
        raise InvalidInput(
            f"{version.describe()} needs the contract variable {missing[0]!r}, which these "
            "contract terms do not provide",
            field=missing[0],
        )
    heading = formatting.article_heading(number, version.title, context.get("language", ""))
    return format_html(
        '<section class="clause" id="clause-{}"><h2>{}</h2>{}</section>',
        code,
        heading,
        mark_safe(body),  # noqa: S308  (rendered with autoescape by the contract engine)
    )
