"""Columns of a query as numpy arrays, without a Python object per row.

The margin book reads a million positions per cold sweep. On PostgreSQL every row is packed
server-side into one fixed-width bytea that numpy reads in place; elsewhere (SQLite, the
embedded demo) the same SQL runs through a cursor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from django.db import connections


def fetch_columns(
    sql: str, params_: Sequence[Any], kinds: str, using: str = "default"
) -> list[np.ndarray]:
    """Run ``sql`` (every column cast to BIGINT ``i`` or DOUBLE PRECISION ``f``, no NULLs)
    and return one array per column."""
    connection = connections[using]
    dtypes = [np.int64 if k == "i" else np.float64 for k in kinds]
    if connection.vendor == "postgresql":
        return _fetch_packed(connection, sql, params_, kinds)
    with connection.cursor() as cursor:
        cursor.execute(sql, params_)
        rows = cursor.fetchall()
    if not rows:
        return [np.empty(0, dtype=d) for d in dtypes]
    columns = list(zip(*rows, strict=True))
    return [np.asarray(col, dtype=d) for col, d in zip(columns, dtypes, strict=True)]


def _fetch_packed(
    connection: Any, sql: str, params_: Sequence[Any], kinds: str
) -> list[np.ndarray]:
    """Every row packed server-side into one fixed-width bytea, read as one structured array.

    A COPY (or a cursor) delivers a million positions as a million messages, and the client's
    per-message work costs seconds; ``string_agg`` of ``int8send`` / ``float8send`` delivers
    them as one value that numpy reads in place. Row order is not guaranteed: callers that need
    an order sort.
    """
    connection.ensure_connection()
    raw = connection.connection
    names = [f"c{i}" for i in range(len(kinds))]
    packed = " || ".join(
        f"int8send({n})" if k == "i" else f"float8send({n})"
        for n, k in zip(names, kinds, strict=True)
    )
    # The SQL is this module's own (fixed casts); values travel as parameters.
    query = f"SELECT string_agg({packed}, ''::bytea) FROM ({sql}) AS rows_({', '.join(names)})"  # noqa: S608
    with raw.cursor() as cursor:
        cursor.execute(query, params_)
        row = cursor.fetchone()
    data = bytes(row[0]) if row and row[0] is not None else b""
    dtype = np.dtype([(n, ">i8" if k == "i" else ">f8") for n, k in zip(names, kinds, strict=True)])
    rows = np.frombuffer(data, dtype=dtype)
    native = [np.int64 if k == "i" else np.float64 for k in kinds]
    return [rows[n].astype(native[i]) for i, n in enumerate(names)]
