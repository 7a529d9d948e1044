"""Bulk inserts: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def _text(value: Any) -> str:
    # COPY text format: \N is NULL; only text can hold a tab, newline or backslash.
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """Insert ``rows`` (values in ``columns`` order, column names as in the table)."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(objects, batch_size=1000)  # type: ignore[attr-defined]
        return len(rows)
    table = model._meta.db_table
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            chunk: list[str] = []
            for row in rows:
                chunk.append("\t".join(_text(v) for v in row) + "\n")
                if len(chunk) >= 5000:
                    copy.write("".join(chunk))
                    chunk = []
            copy.write("".join(chunk))
    return len(rows)
