"""Wording + terms → the HTML of one document, refusing any variable the terms do not provide."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.template import Context
from django.utils.html import escape

from contracts.rendering.engine import compile_wording, missing_names
from contracts.rendering.library import CLAUSES_KEY
from core.exceptions import InvalidInput

if TYPE_CHECKING:
    from contracts.models import ClauseVersion, TemplateVersion

# Variables a document has besides its terms: they come from the contract itself.
DOCUMENT_META_NAMES = frozenset({"contract_no", "contract_version", "generated_on"})

# Part of the renderer's identity: change it and old PDFs no longer re-render byte for byte.
BASE_CSS = """
@page {
  size: A4;
  margin: 22mm 18mm 22mm 18mm;
  @bottom-left { content: "%(contract_no)s"; font-family: "WenQuanYi Micro Hei"; font-size: 8pt;
                 color: #555; }
  @bottom-right { content: counter(page) " / " counter(pages); font-family: "WenQuanYi Micro Hei";
                  font-size: 8pt; color: #555; }
}
html { font-family: "WenQuanYi Micro Hei", sans-serif; font-size: 10.5pt; line-height: 1.65; }
"""

_HTML_LANG = {"zh-hans": "zh-Hans", "en": "en"}


@dataclass(frozen=True)
class DocumentSource:
    """The exact wording one document is rendered from."""

    template_version: TemplateVersion
    clause_versions: dict[str, ClauseVersion] = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentMeta:
    contract_no: str
    title: str
    language: str
    author: str
    created: datetime


def render_body(source: DocumentSource, context: dict[str, Any]) -> str:
    version = source.template_version
    compiled = compile_wording(version.body, what=version.describe())
    clauses = {
        code: (clause, compile_wording(clause.body, what=clause.describe()))
        for code, clause in source.clause_versions.items()
    }
    body = compiled.render(Context({**context, CLAUSES_KEY: clauses}, autoescape=True))
    missing = missing_names(body)
    if missing:
        raise InvalidInput(
            f"{version.describe()} needs the contract variable {missing[0]!r}, which these "
            "contract terms do not provide",
            field=missing[0],
        )
    return body


def render_html(source: DocumentSource, context: dict[str, Any], meta: DocumentMeta) -> str:
    """The complete HTML document; same inputs, same characters."""
    body = render_body(source, context)
    created = meta.created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    css = BASE_CSS % {"contract_no": escape(meta.contract_no)}
    return (
        f'<!doctype html><html lang="{_HTML_LANG.get(meta.language, "en")}"><head>'
        f'<meta charset="utf-8"><title>{escape(meta.title)} {escape(meta.contract_no)}</title>'
        f'<meta name="author" content="{escape(meta.author)}">'
        f'<meta name="dcterms.created" content="{created}">'
        f'<meta name="dcterms.modified" content="{created}">'
        f"<style>{css}</style><style>{source.template_version.stylesheet}</style>"
        f"</head><body>{body}</body></html>"
    )


def render_fragment(source: str, context: dict[str, Any], *, what: str) -> str:
    """Render one piece of wording on its own (a clause being proposed), strictly."""
    rendered = compile_wording(source, what=what).render(Context(context, autoescape=True))
    missing = missing_names(rendered)
    if missing:
        raise InvalidInput(
            f"{what} needs the contract variable {missing[0]!r}, which these contract terms do "
            "not provide",
            field=missing[0],
        )
    return rendered
