"""Strict rendering of contract wording to HTML and to reproducible PDFs."""

from contracts.rendering.html import (
    DOCUMENT_META_NAMES,
    DocumentMeta,
    DocumentSource,
    render_body,
    render_fragment,
    render_html,
)
from contracts.rendering.inspect import check_wording, clause_codes_used, names_used
from contracts.rendering.pdf import RenderedPdf, render_pdf, renderer_label

__all__ = [
    "DOCUMENT_META_NAMES",
    "DocumentMeta",
    "DocumentSource",
    "RenderedPdf",
    "check_wording",
    "clause_codes_used",
    "names_used",
    "render_body",
    "render_fragment",
    "render_html",
    "render_pdf",
    "renderer_label",
]
