"""Reads: which values are in force on a date."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.enums import ParameterStatus
from core.exceptions import ParameterMissing
from core.models import ParameterVersion


@dataclass(frozen=True)
class ParameterSnapshot(Mapping[str, Any]):
    """The typed values of one approved version, with where they came from."""

    set_key: str
    version_id: int
    effective_from: date
    values: dict[str, Any]  # type: ignore[assignment]

    def __getitem__(self, key: str) -> Any:
        try:
            return self.values[key]
        except KeyError as exc:
            raise ParameterMissing(f"parameter set {self.set_key!r} has no {key!r}") from exc

    def __iter__(self):
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def version_in_force(set_key: str, on: date) -> ParameterVersion:
    version = (
        ParameterVersion.objects.select_related("parameter_set")
        .filter(
            parameter_set__key=set_key,
            status=ParameterStatus.APPROVED,
            effective_from__lte=on,
        )
        .order_by("-effective_from")
        .first()
    )
    if version is None:
        raise ParameterMissing(f"no approved {set_key!r} parameters in force on {on.isoformat()}")
    return version


def snapshot(set_key: str, on: date) -> ParameterSnapshot:
    """All typed values of ``set_key`` in force on ``on``; one query."""
    version = version_in_force(set_key, on)
    return ParameterSnapshot(
        set_key=set_key,
        version_id=version.pk,
        effective_from=version.effective_from,
        values=version.typed_values(),
    )


def value(set_key: str, name: str, on: date) -> Any:
    """One typed value of ``set_key`` in force on ``on``."""
    return snapshot(set_key, on)[name]


def history(set_key: str) -> list[ParameterSnapshot]:
    """Every approved version of a set, oldest first (for timelines and back-tests)."""
    versions = ParameterVersion.objects.select_related("parameter_set").filter(
        parameter_set__key=set_key, status=ParameterStatus.APPROVED
    )
    return [
        ParameterSnapshot(set_key, v.pk, v.effective_from, v.typed_values())
        for v in versions.order_by("effective_from")
    ]
