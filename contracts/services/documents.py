"""Render a contract's documents to PDF, store them, and check a stored PDF by re-rendering it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from contracts.models import Contract, ContractDocument
from contracts.rendering import (
    DocumentMeta,
    DocumentSource,
    RenderedPdf,
    clause_codes_used,
    render_html,
    render_pdf,
    renderer_label,
)
from contracts.selectors import approved_clause_versions, approved_template_version
from contracts.terms import ContractTerms


def document_context(contract: Contract, terms: ContractTerms) -> dict[str, Any]:
    return {
        **terms.context(contract.language),
        "contract_no": contract.contract_no,
        "contract_version": contract.version,
        "generated_on": timezone.localtime(contract.generated_at).date(),
    }


def _render(contract: Contract, source: DocumentSource, kind: str) -> RenderedPdf:
    terms = contract.contract_terms()
    context = document_context(contract, terms)
    meta = DocumentMeta(
        contract_no=contract.contract_no,
        title=source.template_version.title,
        language=contract.language,
        author=str(context["firm_name"]),
        created=contract.generated_at,
    )
    html = render_html(source, context, meta)
    return render_pdf(html, identifier=f"{contract.contract_no}/{kind}")


def _store(contract: Contract, kind: str, pdf: RenderedPdf) -> str:
    # Content-addressed: the same bytes always land at the same name, so a retry after a
    # rolled-back transaction reuses the file instead of leaving a second copy.
    name = f"contracts/{contract.series}/{contract.contract_no}-{kind}-{pdf.sha256[:16]}.pdf"
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(pdf.content))
        if saved != name:
            raise RuntimeError(f"storage renamed {name} to {saved}; documents are named by hash")
    return name


def document_create(*, contract: Contract, kind: str) -> ContractDocument:
    """Render one document of the bundle from the wording approved now and keep everything."""
    template_version = approved_template_version(kind=kind, language=contract.language)
    codes = clause_codes_used(template_version.body, what=template_version.describe())
    clauses = approved_clause_versions(language=contract.language, codes=codes)
    pdf = _render(contract, DocumentSource(template_version, clauses), kind)
    document = ContractDocument.objects.create(
        contract=contract,
        kind=kind,
        title=template_version.title,
        template_version=template_version,
        pdf=_store(contract, kind, pdf),
        sha256=pdf.sha256,
        size_bytes=len(pdf.content),
        page_count=pdf.page_count,
        renderer=renderer_label(),
    )
    document.clause_versions.set(clauses.values())
    return document


@dataclass(frozen=True)
class RenderCheck:
    document: ContractDocument
    stored_sha256: str
    file_sha256: str
    rerendered_sha256: str
    same_renderer: bool

    @property
    def file_intact(self) -> bool:
        return self.file_sha256 == self.stored_sha256

    @property
    def reproduced(self) -> bool:
        return self.rerendered_sha256 == self.stored_sha256


def document_render_check(*, document: ContractDocument) -> RenderCheck:
    """Hash the stored file and render the document again from what was kept."""
    with document.pdf.open("rb") as handle:
        file_sha = hashlib.sha256(handle.read()).hexdigest()
    source = DocumentSource(
        document.template_version,
        {c.clause.code: c for c in document.clause_versions.select_related("clause")},
    )
    pdf = _render(document.contract, source, document.kind)
    return RenderCheck(
        document=document,
        stored_sha256=document.sha256,
        file_sha256=file_sha,
        rerendered_sha256=pdf.sha256,
        same_renderer=document.renderer == renderer_label(),
    )
