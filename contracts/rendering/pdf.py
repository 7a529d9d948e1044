"""HTML → PDF with WeasyPrint, reproducibly.

The same HTML gives the same bytes: the creation and modification dates come from the contract
(``dcterms.created``/``modified`` in the HTML), the PDF identifier from the document's name, and
nothing is fetched from outside. A different WeasyPrint release or font file may change the
bytes, which is why the renderer's identity is stored with every document and the stored PDF —
not a re-render — is what a hash is checked against.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import weasyprint

# Bump when BASE_CSS or the HTML skeleton changes.
RENDERER_VERSION = "1"


def renderer_label() -> str:
    return f"fulcrum-contracts/{RENDERER_VERSION} weasyprint/{weasyprint.__version__}"


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    sha256: str
    page_count: int


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # Contract wording is data edited in the console: it must never make the server fetch URLs.
    raise ValueError(f"contract documents may not load {url}")


def render_pdf(html: str, *, identifier: str) -> RenderedPdf:
    document = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).render()
    content = document.write_pdf(pdf_identifier=identifier.encode())
    if content is None:  # write_pdf returns the bytes when given no target
        raise RuntimeError("WeasyPrint returned no PDF")
    return RenderedPdf(
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        page_count=len(document.pages),
    )
