"""Statement files for tests: camt.053 (001.02 and 001.08) and CSV, built from entries."""

from __future__ import annotations

from dataclasses import dataclass

NS02 = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
NS08 = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"


@dataclass
class Line:
    amount: str
    direction: str = "CRDT"
    reference: str = ""
    account: str = ""
    name: str = "Zhang San"
    day: str = "2026-03-02"
    bank_ref: str = "BR1"
    cash: bool = False


def _party(line: Line, ns: str) -> str:
    role = "Dbtr" if line.direction == "CRDT" else "Cdtr"
    name = (
        f"<{role}><Nm>{line.name}</Nm></{role}>"
        if ns == NS02
        else f"<{role}><Pty><Nm>{line.name}</Nm></Pty></{role}>"
    )
    account = f"<{role}Acct><Id><Othr><Id>{line.account}</Id></Othr></Id></{role}Acct>"
    return f"<RltdPties>{name}{account}</RltdPties>"


def camt053(lines: list[Line], ns: str = NS02) -> bytes:
    entries = []
    for line in lines:
        status = "<Sts>BOOK</Sts>" if ns == NS02 else "<Sts><Cd>BOOK</Cd></Sts>"
        code = (
            (
                "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>CNTR</Cd><SubFmlyCd>CDPT</SubFmlyCd>"
                "</Fmly></Domn></BkTxCd>"
            )
            if line.cash
            else ""
        )
        entries.append(
            f"""    <Ntry>
      <Amt Ccy="CNY">{line.amount}</Amt>
      <CdtDbtInd>{line.direction}</CdtDbtInd>
      {status}
      <BookgDt><Dt>{line.day}</Dt></BookgDt>
      <AcctSvcrRef>{line.bank_ref}</AcctSvcrRef>
      {code}
      <NtryDtls><TxDtls>
        <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
        {_party(line, ns)}
        <RmtInf><Ustrd>{line.reference}</Ustrd></RmtInf>
      </TxDtls></NtryDtls>
    </Ntry>"""
        )
    body = "\n".join(entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{ns}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT-1</MsgId><CreDtTm>2026-03-02T18:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-2026-03-02</Id>
      <Acct><Id><Othr><Id>6222000000000000001</Id></Othr></Id></Acct>
{body}
    </Stmt>
  </BkToCstmrStmt>
</Document>
""".encode()


def csv_statement(lines: list[Line]) -> bytes:
    rows = [
        "booking_date,direction,amount,currency,reference,counterparty_account,"
        "counterparty_name,bank_reference,channel"
    ]
    for line in lines:
        rows.append(
            f"{line.day},{line.direction},{line.amount},CNY,{line.reference},"
            f"{line.account},{line.name},{line.bank_ref},{'cash' if line.cash else ''}"
        )
    return ("\n".join(rows) + "\n").encode()
