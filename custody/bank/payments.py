"""Outgoing withdrawal instructions for the custodian bank: pain.001.001.03 XML and CSV.

The content depends only on stored facts (batch reference and time, withdrawals in primary-key
order, the registered accounts), so producing a batch's file again gives the same bytes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, tostring

PAIN_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"


@dataclass(frozen=True)
class Instruction:
    reference: str
    amount: Decimal
    currency: str
    creditor_name: str
    creditor_account: str
    creditor_bank: str


@dataclass(frozen=True)
class BatchFacts:
    reference: str
    created_at: datetime
    execution_date: date
    firm_name: str
    omnibus_account: str
    bank_bic: str
    instructions: list[Instruction]

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.instructions), Decimal("0.00"))


def _add(parent: Element, tag: str, text: str | None = None, **attrs: str) -> Element:
    element = SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _account(parent: Element, tag: str, number: str) -> None:
    _add(_add(_add(_add(parent, tag), "Id"), "Othr"), "Id", number)


def render_pain001(facts: BatchFacts) -> bytes:
    document = Element("Document", {"xmlns": PAIN_NS})
    root = _add(document, "CstmrCdtTrfInitn")
    header = _add(root, "GrpHdr")
    _add(header, "MsgId", facts.reference)
    _add(header, "CreDtTm", facts.created_at.replace(microsecond=0).isoformat())
    _add(header, "NbOfTxs", str(len(facts.instructions)))
    _add(header, "CtrlSum", str(facts.total))
    _add(_add(header, "InitgPty"), "Nm", facts.firm_name)
    info = _add(root, "PmtInf")
    _add(info, "PmtInfId", facts.reference)
    _add(info, "PmtMtd", "TRF")
    _add(info, "BtchBookg", "false")
    _add(info, "NbOfTxs", str(len(facts.instructions)))
    _add(info, "CtrlSum", str(facts.total))
    _add(info, "ReqdExctnDt", facts.execution_date.isoformat())
    _add(_add(info, "Dbtr"), "Nm", facts.firm_name)
    _account(info, "DbtrAcct", facts.omnibus_account)
    _add(_add(_add(info, "DbtrAgt"), "FinInstnId"), "BIC", facts.bank_bic)
    _add(info, "ChrgBr", "SLEV")
    for item in facts.instructions:
        tx = _add(info, "CdtTrfTxInf")
        ids = _add(tx, "PmtId")
        _add(ids, "InstrId", item.reference)
        _add(ids, "EndToEndId", item.reference)
        _add(_add(tx, "Amt"), "InstdAmt", str(item.amount), Ccy=item.currency)
        _add(_add(_add(tx, "CdtrAgt"), "FinInstnId"), "Nm", item.creditor_bank)
        _add(_add(tx, "Cdtr"), "Nm", item.creditor_name)
        _account(tx, "CdtrAcct", item.creditor_account)
        _add(_add(tx, "RmtInf"), "Ustrd", f"Withdrawal {item.reference}")
    body: bytes = tostring(document, encoding="utf-8", xml_declaration=True)
    return body + b"\n"


def render_csv(facts: BatchFacts) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "batch",
            "execution_date",
            "reference",
            "amount",
            "currency",
            "creditor_name",
            "creditor_account",
            "creditor_bank",
        ]
    )
    for item in facts.instructions:
        writer.writerow(
            [
                facts.reference,
                facts.execution_date.isoformat(),
                item.reference,
                str(item.amount),
                item.currency,
                item.creditor_name,
                item.creditor_account,
                item.creditor_bank,
            ]
        )
    return out.getvalue().encode("utf-8")
