"""Segregation of duties: whoever requests something never approves it."""

from __future__ import annotations

from typing import Any

from core.exceptions import SegregationOfDutiesError


def ensure_different_people(*, requester: Any, approver: Any, what: str) -> None:
    if requester is not None and approver is not None and requester.pk == approver.pk:
        raise SegregationOfDutiesError(
            f"{approver} requested {what} and so cannot approve it; "
            "another authorised colleague must decide"
        )


def ensure_not_among(*, people: list[Any], approver: Any, what: str) -> None:
    """The approver must be none of ``people`` (requesters, earlier approvers)."""
    for person in people:
        ensure_different_people(requester=person, approver=approver, what=what)
