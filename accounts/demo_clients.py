"""The demo's clients: one or more in every onboarding state, built through the services.

Identity numbers are synthetic (valid check digits, real area codes, invented people); bank
cards pass the Luhn check. Every client is found again by its blind index on a second run.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from stdnum import luhn

from accounts import services
from accounts.enums import ClientKind, DocumentType, Sex
from accounts.models import Client, InstitutionProfile, PersonProfile
from accounts.pii import index_of
from accounts.validators import resident_id_check_char, uscc_check_char

M, F = Sex.MALE, Sex.FEMALE

# Answers on the seeded questionnaires that give each level (see the migration's scores).
ANSWERS = {
    "C1": {1: "D", 2: "A", 3: "A", 4: "A", 5: "A", 6: "A", 7: "A", 8: "A", 9: "A", 10: "B"},
    "C2": {1: "B", 2: "B", 3: "A", 4: "B", 5: "B", 6: "B", 7: "B", 8: "B", 9: "B", 10: "B"},
    "C3": {1: "A", 2: "B", 3: "B", 4: "C", 5: "B", 6: "C", 7: "B", 8: "B", 9: "C", 10: "C"},
    "C4": {1: "A", 2: "C", 3: "C", 4: "D", 5: "C", 6: "C", 7: "C", 8: "C", 9: "C", 10: "C"},
    "C5": {1: "A", 2: "D", 3: "D", 4: "D", 5: "D", 6: "D", 7: "D", 8: "D", 9: "D", 10: "D"},
    "I5": {1: "B", 2: "D", 3: "D", 4: "D", 5: "D", 6: "D"},
}


@dataclass
class DemoPerson:
    name: str
    sex: str
    born: date
    area: str
    stage: str  # draft | submitted | rejected | verified | assessed | eligible
    level: str = ""
    assets: str = "800000"
    income: str = "300000"
    years: int = 4
    occupation: str = "公司职员"
    city: str = "北京市朝阳区"
    partner: str = ""
    assessed_months_ago: int = 0
    professional: bool = False
    warning_for: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id_number(self) -> str:
        order = 18 + (1 if self.sex == M else 0)  # the 17th digit: odd for men
        first17 = f"{self.area}{self.born:%Y%m%d}{order:03d}"
        return first17 + resident_id_check_char(first17)


PEOPLE = [
    DemoPerson("赵磊", M, date(1990, 3, 15), "110105", "draft"),
    DemoPerson("钱芳", F, date(1987, 7, 22), "310115", "submitted", city="上海市浦东新区"),
    DemoPerson("孙浩", M, date(1993, 11, 2), "440305", "rejected", city="深圳市南山区"),
    DemoPerson("李娜", F, date(1984, 1, 9), "330106", "verified", city="杭州市西湖区"),
    DemoPerson("周建平", M, date(1979, 5, 1), "510107", "assessed", "C3", city="成都市武侯区"),
    DemoPerson(
        "何敏",
        F,
        date(1958, 6, 30),
        "120101",
        "eligible",
        "C1",
        "300000",
        "80000",
        0,
        occupation="退休教师",
        city="天津市和平区",
    ),
    DemoPerson(
        "吴静",
        F,
        date(1991, 9, 18),
        "320106",
        "eligible",
        "C2",
        "600000",
        "220000",
        2,
        city="南京市鼓楼区",
        warning_for="R3",
    ),
    DemoPerson(
        "郑伟",
        M,
        date(1982, 12, 5),
        "420106",
        "eligible",
        "C3",
        "1500000",
        "400000",
        6,
        occupation="医生",
        city="武汉市武昌区",
    ),
    DemoPerson(
        "冯丽",
        F,
        date(1980, 2, 14),
        "120101",
        "eligible",
        "C3",
        "900000",
        "260000",
        5,
        city="天津市和平区",
        assessed_months_ago=25,
    ),
    DemoPerson(
        "王建华",
        M,
        date(1975, 4, 20),
        "110108",
        "eligible",
        "C4",
        "4500000",
        "700000",
        8,
        occupation="企业主",
        city="北京市海淀区",
        partner="hz-wealth",
    ),
    DemoPerson(
        "陈晓明",
        M,
        date(1970, 8, 8),
        "440106",
        "eligible",
        "C5",
        "8000000",
        "1200000",
        15,
        occupation="基金经理",
        city="广州市天河区",
        professional=True,
    ),
]


@dataclass
class DemoInstitution:
    name: str
    name_latin: str
    uscc_body: str
    legal_rep: str
    legal_rep_born: date
    area: str
    stage: str
    level_key: str = ""
    traders: list[tuple[str, date, str]] = field(default_factory=list)

    @property
    def uscc(self) -> str:
        return self.uscc_body + uscc_check_char(self.uscc_body)


INSTITUTIONS = [
    DemoInstitution(
        "杭州西湖量化投资管理有限公司",
        "Hangzhou Xihu Quant Investment Management Co., Ltd.",
        "91330106MA2H7Q8K5",
        "陈刚",
        date(1972, 3, 8),
        "330106",
        "submitted",
        traders=[("刘洋", date(1988, 2, 2), "330102")],
    ),
    DemoInstitution(
        "深圳前海远航资本管理有限公司",
        "Shenzhen Qianhai Yuanhang Capital Management Co., Ltd.",
        "91440300MA5F2B7N1",
        "林涛",
        date(1968, 10, 12),
        "440305",
        "eligible",
        "I5",
        traders=[("黄磊", date(1985, 6, 6), "440304"), ("许娟", date(1990, 1, 20), "440303")],
    ),
]


def png(label: str) -> bytes:
    """A real (tiny, grey) PNG whose pixel row depends on ``label``, so each file differs."""
    shade = sum(label.encode()) % 200 + 30
    raw = b"".join(b"\x00" + bytes([shade]) * 16 for _ in range(16))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 16, 16, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def pdf(text: str) -> bytes:
    """A one-page PDF saying ``text`` (ASCII), for demo proofs of assets."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


def card_number(seed: str) -> str:
    body = "62220210" + f"{sum(ord(c) for c in seed) * 7919 % 10**10:010d}"
    return body + luhn.calc_check_digit(body)


def existing_person(spec: DemoPerson) -> Client | None:
    found = PersonProfile.objects.filter(id_number_index=index_of(spec.id_number)).first()
    return found.client if found else None


def existing_institution(spec: DemoInstitution) -> Client | None:
    found = InstitutionProfile.objects.filter(uscc=spec.uscc).first()
    return found.client if found else None


def upload_file(client: Client, by: Any) -> None:
    if client.kind == ClientKind.PERSON:
        kinds = [DocumentType.ID_FRONT, DocumentType.ID_BACK]
    else:
        kinds = [DocumentType.BUSINESS_LICENCE, DocumentType.AUTHORISATION_LETTER]
    for kind in kinds:
        services.document_upload(
            client=client,
            doc_type=kind,
            upload=services.Upload(f"{kind}.png", png(f"{client.client_no}{kind}")),
            by=by,
        )
    services.document_upload(
        client=client,
        doc_type=DocumentType.PROOF_OF_ASSETS,
        upload=services.Upload(
            "assets.pdf", pdf(f"Demo proof of assets for client {client.client_no}")
        ),
        by=by,
    )
    services.bank_account_add(
        client=client,
        bank_name="中国工商银行" if client.kind == ClientKind.PERSON else "招商银行",
        account_name=client.display_name,
        account_number=card_number(client.client_no)
        if client.kind == ClientKind.PERSON
        else f"7559{sum(map(ord, client.client_no)):011d}",
        is_card=client.kind == ClientKind.PERSON,
        by=by,
    )
