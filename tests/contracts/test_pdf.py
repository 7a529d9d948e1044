"""The PDFs carry Chinese text in an embedded CJK font, and their metadata is fixed."""

import subprocess

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject

pytestmark = pytest.mark.django_db


def pdffonts(path: str) -> list[list[str]]:
    output = subprocess.run(  # noqa: S603
        ["/usr/bin/pdffonts", path], capture_output=True, text=True, check=True
    ).stdout
    return [line.split() for line in output.splitlines()[2:]]


def test_the_contract_pdf_embeds_a_cjk_cid_font(draft_contract):
    document = draft_contract.documents.get(kind="margin_contract")
    fonts = pdffonts(document.pdf.path)
    cjk = [f for f in fonts if "WenQuanYi" in f[0]]
    assert cjk, fonts
    for name, *rest in cjk:
        # columns: type ("CID TrueType"), encoding, emb, sub, uni, object, generation
        assert rest[0:2] == ["CID", "TrueType"], name
        assert rest[3] == "yes", f"{name} is not embedded"
    assert all(f[-5] == "yes" for f in fonts), "every font is embedded"


def test_the_pdf_text_holds_the_chinese_clause_titles(draft_contract):
    document = draft_contract.documents.get(kind="margin_contract")
    reader = PdfReader(document.pdf.path)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "融资融券业务合同" in text
    assert "强制平仓及平仓顺序" in text
    assert "违约处理" in text
    assert len(reader.pages) == document.page_count


def test_pdf_metadata_comes_from_the_contract(draft_contract):
    document = draft_contract.documents.get(kind="risk_disclosure")
    reader = PdfReader(document.pdf.path)
    metadata = reader.metadata
    assert metadata is not None
    assert metadata.title == "融资融券交易风险揭示书 FC2026000001-01"
    assert metadata.author == "支点证券股份有限公司"
    assert metadata["/CreationDate"] == "D:20260302020000Z"
    identifier = reader.trailer["/ID"]
    assert isinstance(identifier, ArrayObject)
    assert identifier[0] == "FC2026000001-01/risk_disclosure"
