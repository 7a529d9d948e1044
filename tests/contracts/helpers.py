"""Small helpers shared by the contract tests."""

from __future__ import annotations

import html
import re
from typing import Any

from contracts.rendering import DocumentSource, clause_codes_used, render_body
from contracts.samples import SAMPLE_META
from contracts.selectors import approved_clause_versions, approved_template_version
from contracts.terms import ContractTerms

_TAGS = re.compile(r"<[^>]+>")


def approved_source(kind: str, language: str) -> DocumentSource:
    version = approved_template_version(kind=kind, language=language)
    codes = clause_codes_used(version.body, what=version.describe())
    return DocumentSource(version, approved_clause_versions(language=language, codes=codes))


def render_text(kind: str, language: str, terms: ContractTerms, **meta: Any) -> tuple[str, str]:
    """(HTML, plain text) of a document rendered with the approved wording."""
    body = render_body(
        approved_source(kind, language), {**terms.context(language), **SAMPLE_META, **meta}
    )
    text = html.unescape(_TAGS.sub(" ", body))
    return body, re.sub(r"\s+", " ", text)
