"""Previews for reviewers: wording rendered to PDF with sample terms, before it is approved."""

from __future__ import annotations

from datetime import UTC, datetime

from contracts.enums import VersionStatus
from contracts.models import ClauseVersion, TemplateVersion
from contracts.rendering import (
    DocumentMeta,
    DocumentSource,
    RenderedPdf,
    clause_codes_used,
    render_html,
    render_pdf,
)
from contracts.samples import SAMPLE_META, sample_terms
from contracts.selectors import approved_clause_versions
from core.exceptions import InvalidInput


def _pdf(source: DocumentSource, language: str) -> RenderedPdf:
    context = {**sample_terms().context(language), **SAMPLE_META}
    meta = DocumentMeta(
        contract_no=str(SAMPLE_META["contract_no"]),
        title=source.template_version.title,
        language=language,
        author=str(context["firm_name"]),
        created=datetime(2026, 1, 12, tzinfo=UTC),
    )
    return render_pdf(render_html(source, context, meta), identifier="preview")


def template_version_preview(version: TemplateVersion) -> RenderedPdf:
    language = version.template.language
    codes = clause_codes_used(version.body, what=version.describe())
    return _pdf(
        DocumentSource(version, approved_clause_versions(language=language, codes=codes)), language
    )


def clause_version_preview(version: ClauseVersion) -> RenderedPdf:
    """The clause inside the approved document that includes it (the first one, by kind)."""
    language, code = version.clause.language, version.clause.code
    for template_version in (
        TemplateVersion.objects.select_related("template")
        .filter(template__language=language, status=VersionStatus.APPROVED)
        .order_by("template__kind")
    ):
        codes = clause_codes_used(template_version.body, what=template_version.describe())
        if code in codes:
            clauses = approved_clause_versions(
                language=language, codes=[c for c in codes if c != code]
            )
            return _pdf(DocumentSource(template_version, {**clauses, code: version}), language)
    raise InvalidInput(f"no approved {language} document includes clause {code!r}", field="clause")
