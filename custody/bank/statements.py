"""Read custodian bank statements: CSV and ISO 20022 camt.053 (001.02 and 001.08).

Every line or entry is checked before anything is imported; a bad file is refused whole, naming
the line (CSV) or the entry and element with its line (XML). XML is parsed with defusedxml, so
entity expansion and external references are refused.
"""

from __future__ import annotations

import csv
import io
import xml.parsers.expat
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from core.exceptions import InvalidInput
from core.money import CURRENCIES
from custody.enums import MovementDirection

CAMT_NAMESPACES = {
    "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02",
    "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08",
}
CSV_COLUMNS = [
    "booking_date",
    "direction",
    "amount",
    "currency",
    "reference",
    "counterparty_account",
    "counterparty_name",
    "bank_reference",
]
MAX_ERRORS_SHOWN = 10
_CURRENCIES = {code for code, _ in CURRENCIES}


@dataclass(frozen=True)
class StatementLine:
    line_no: int
    booking_date: date
    direction: str
    amount: Decimal
    currency: str
    reference: str
    bank_reference: str
    counterparty_name: str
    counterparty_account: str
    is_cash: bool


@dataclass(frozen=True)
class ParsedStatement:
    statement_id: str
    account: str
    lines: list[StatementLine]


class StatementFileError(InvalidInput):
    def __init__(self, errors: list[str]) -> None:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        text = "; ".join(shown) + (f"; and {more} more" if more else "")
        super().__init__(f"nothing imported — {text}", field="file")
        self.errors = errors


def _amount(raw: str) -> Decimal:
    try:
        value = Decimal((raw or "").strip())
    except InvalidOperation as exc:
        raise ValueError(f"amount {raw!r} is not a number") from exc
    if not value.is_finite() or value <= 0:
        raise ValueError(f"amount {raw!r} must be a positive number")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"amount {raw!r} has more than two decimal places")
    return value


def _day(raw: str) -> date:
    try:
        return date.fromisoformat((raw or "").strip()[:10])
    except ValueError as exc:
        raise ValueError(f"date {raw!r} is not YYYY-MM-DD") from exc


def _direction(raw: str) -> str:
    code = (raw or "").strip().upper()
    if code == "CRDT":
        return MovementDirection.IN
    if code == "DBIT":
        return MovementDirection.OUT
    raise ValueError(f"direction {raw!r} must be CRDT (money in) or DBIT (money out)")


def _currency(raw: str) -> str:
    code = (raw or "").strip().upper()
    if code not in _CURRENCIES:
        raise ValueError(f"currency {raw!r} is not one of {', '.join(sorted(_CURRENCIES))}")
    return code


# --- CSV --------------------------------------------------------------------------------------


def parse_csv(data: bytes) -> ParsedStatement:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StatementFileError([f"the file is not UTF-8 text ({exc.reason})"]) from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise StatementFileError([f"line 1: missing columns {', '.join(missing)}"])
    lines: list[StatementLine] = []
    errors: list[str] = []
    for row in reader:
        line_no = reader.line_num
        try:
            lines.append(_csv_line(line_no, row))
        except ValueError as exc:
            errors.append(f"line {line_no}: {exc}")
    if errors:
        raise StatementFileError(errors)
    if not lines:
        raise StatementFileError(["the statement has no lines"])
    return ParsedStatement(statement_id="", account="", lines=lines)


def _csv_line(line_no: int, row: dict[str, str]) -> StatementLine:
    return StatementLine(
        line_no=line_no,
        booking_date=_day(row["booking_date"]),
        direction=_direction(row["direction"]),
        amount=_amount(row["amount"]),
        currency=_currency(row["currency"]),
        reference=(row.get("reference") or "").strip(),
        bank_reference=(row.get("bank_reference") or "").strip(),
        counterparty_name=(row.get("counterparty_name") or "").strip(),
        counterparty_account=(row.get("counterparty_account") or "").strip(),
        is_cash=(row.get("channel") or "").strip().lower() == "cash",
    )


# --- camt.053 ---------------------------------------------------------------------------------


def _source_lines(data: bytes) -> list[int]:
    """Line of every start tag, in document order (ElementTree keeps no line numbers).

    Runs only on a document defusedxml has already accepted.
    """
    lines: list[int] = []
    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler = lambda name, attrs: lines.append(parser.CurrentLineNumber)
    parser.Parse(data, True)
    return lines


class _Camt:
    def __init__(self, root: Element, ns: str, lines: dict[int, int]) -> None:
        self.root = root
        self.ns = {"c": ns}
        self.lines = lines

    def line_of(self, element: Element) -> int:
        return self.lines.get(id(element), 0)

    def find(self, element: Element, path: str) -> Element | None:
        return element.find(path, self.ns)

    def text(self, element: Element, *paths: str) -> str:
        for path in paths:
            found = element.find(path, self.ns)
            if found is not None and (found.text or "").strip():
                return (found.text or "").strip()
        return ""


def parse_camt053(data: bytes) -> ParsedStatement:
    try:
        root = SafeET.fromstring(data)
    except SafeET.ParseError as exc:
        line = getattr(exc, "position", (0, 0))[0]
        raise StatementFileError([f"line {line}: not well-formed XML ({exc})"]) from exc
    except DefusedXmlException as exc:
        raise StatementFileError([f"the XML was refused as unsafe ({exc})"]) from exc
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if ns not in CAMT_NAMESPACES:
        raise StatementFileError([f"line 1: <{root.tag}> is not a camt.053.001.02 or .08 document"])
    starts = _source_lines(data)
    lines = {id(el): line for el, line in zip(root.iter(), starts, strict=False)}
    camt = _Camt(root, ns, lines)
    stmt = camt.find(root, "c:BkToCstmrStmt/c:Stmt")
    if stmt is None:
        raise StatementFileError(["line 1: BkToCstmrStmt/Stmt is missing"])
    parsed: list[StatementLine] = []
    errors: list[str] = []
    for number, entry in enumerate(stmt.findall("c:Ntry", camt.ns), start=1):
        try:
            parsed.append(_camt_entry(camt, entry, number))
        except ValueError as exc:
            errors.append(f"Ntry {number} (line {camt.line_of(entry)}): {exc}")
    if errors:
        raise StatementFileError(errors)
    if not parsed:
        raise StatementFileError(["the statement has no Ntry entries"])
    return ParsedStatement(
        statement_id=camt.text(stmt, "c:Id"),
        account=camt.text(stmt, "c:Acct/c:Id/c:IBAN", "c:Acct/c:Id/c:Othr/c:Id"),
        lines=parsed,
    )


def _required(camt: _Camt, entry: Element, path: str, name: str) -> Element:
    found = camt.find(entry, path)
    if found is None or not (found.text or "").strip():
        raise ValueError(f"{name} is missing")
    return found


def _camt_entry(camt: _Camt, entry: Element, number: int) -> StatementLine:
    amount_el = _required(camt, entry, "c:Amt", "Amt")
    try:
        amount = _amount(amount_el.text or "")
        currency = _currency(amount_el.get("Ccy", ""))
    except ValueError as exc:
        raise ValueError(f"Amt (line {camt.line_of(amount_el)}): {exc}") from exc
    indicator = _required(camt, entry, "c:CdtDbtInd", "CdtDbtInd")
    try:
        direction = _direction(indicator.text or "")
    except ValueError as exc:
        raise ValueError(f"CdtDbtInd (line {camt.line_of(indicator)}): {exc}") from exc
    booked = camt.text(entry, "c:BookgDt/c:Dt", "c:BookgDt/c:DtTm")
    if not booked:
        raise ValueError("BookgDt is missing")
    try:
        booking_date = _day(booked)
    except ValueError as exc:
        raise ValueError(f"BookgDt: {exc}") from exc
    tx = camt.find(entry, "c:NtryDtls/c:TxDtls")
    party = "Dbtr" if direction == MovementDirection.IN else "Cdtr"
    return StatementLine(
        line_no=number,
        booking_date=booking_date,
        direction=direction,
        amount=amount,
        currency=currency,
        reference=_reference(camt, tx) if tx is not None else "",
        bank_reference=camt.text(entry, "c:AcctSvcrRef"),
        counterparty_name=_party_name(camt, tx, party) if tx is not None else "",
        counterparty_account=_party_account(camt, tx, party) if tx is not None else "",
        is_cash=camt.text(entry, "c:BkTxCd/c:Domn/c:Fmly/c:SubFmlyCd") == "CDPT",
    )


def _reference(camt: _Camt, tx: Element) -> str:
    end_to_end = camt.text(tx, "c:Refs/c:EndToEndId")
    remittance = camt.text(tx, "c:RmtInf/c:Ustrd")
    if end_to_end and end_to_end != "NOTPROVIDED":
        return f"{end_to_end} {remittance}".strip()
    return remittance


def _party_name(camt: _Camt, tx: Element, party: str) -> str:
    # 001.02: RltdPties/Dbtr/Nm; 001.08: RltdPties/Dbtr/Pty/Nm
    return camt.text(tx, f"c:RltdPties/c:{party}/c:Nm", f"c:RltdPties/c:{party}/c:Pty/c:Nm")


def _party_account(camt: _Camt, tx: Element, party: str) -> str:
    return camt.text(
        tx, f"c:RltdPties/c:{party}Acct/c:Id/c:Othr/c:Id", f"c:RltdPties/c:{party}Acct/c:Id/c:IBAN"
    )


def parse_statement(file_name: str, data: bytes) -> tuple[str, ParsedStatement]:
    """Parse by content: XML if it starts with ``<``, CSV otherwise."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return "camt053", parse_camt053(data)
    return "csv", parse_csv(data)
