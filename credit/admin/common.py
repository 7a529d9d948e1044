"""Small helpers shared by the credit console pages."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def table(rows: Iterable[tuple[Any, ...]], headers: tuple[str, ...] = ()) -> SafeString:
    rows = list(rows)
    width = len(headers) if headers else (len(rows[0]) if rows else 0)
    cells = "".join("<td>{}</td>" for _ in range(width))
    head = (
        format_html_join("", "<th>{}</th>", ((h,) for h in headers)) if headers else SafeString("")
    )
    body = format_html_join("", "<tr>" + cells + "</tr>", rows)
    return format_html("<table><tr>{}</tr>{}</table>", head, body)


def as_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
