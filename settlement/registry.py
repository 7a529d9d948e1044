"""The steps of a clearing run, as a registry other stages add to.

A step is a key, a title, an order, a scope and a function:

* scope ``DATE``: ``fn(ctx)`` runs once for the business date;
* scope ``SHARD``: ``fn(ctx)`` runs once per shard of margin accounts (``ctx.first_account_id``
  … ``ctx.last_account_id``), shards in parallel as a Celery group.

The runner calls ``fn`` inside a transaction together with the step's (or shard's) completion
record, so ``fn`` must do all its writes in the database it is given — in bulk — and be
idempotent: a rerun calls it again for the same date and shard (entry keys, upserts).

The orders in use (gaps left for the stages that plug in later)::

    100 marks · 200 interest · 300 fees · 400 T+1 settlement (custody trades) ·
    600 margin status at the close (risk) · 700 statements · 800 reconciliation · 900 report

Adding a step (in the owning app's ``AppConfig.ready``, or settlement's for a service it calls)::

    register_step(Step(key="settle_trades", title=_("T+1 settlement"), order=400,
                       scope=StepScope.SHARD, fn=settle_trades_shard))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from settlement.enums import StepScope


@dataclass(frozen=True)
class StepContext:
    run_id: int
    business_date: date
    shard_no: int | None = None
    first_account_id: int | None = None
    last_account_id: int | None = None

    @property
    def is_shard(self) -> bool:
        return self.shard_no is not None


@dataclass
class StepOutcome:
    """What a step did for a date or a shard: shown on the run page and summed by the report."""

    entries_posted: int = 0
    rows_written: int = 0
    totals: dict[str, str] = field(default_factory=dict)  # decimal amounts as text


StepFn = Callable[[StepContext], StepOutcome]


@dataclass(frozen=True)
class Step:
    key: str
    title: Any
    order: int
    scope: StepScope
    fn: StepFn
    description: Any = ""


_steps: dict[str, Step] = {}


def register_step(step: Step) -> None:
    """Add (or replace, by key) a step; runs opened afterwards include it in order."""
    clash = next((s for s in _steps.values() if s.order == step.order and s.key != step.key), None)
    if clash is not None:
        raise ValueError(f"step order {step.order} is taken by {clash.key!r}")
    _steps[step.key] = step


def unregister_step(key: str) -> None:
    _steps.pop(key, None)


def registered_steps() -> list[Step]:
    return sorted(_steps.values(), key=lambda s: (s.order, s.key))


def step(key: str) -> Step:
    try:
        return _steps[key]
    except KeyError as exc:
        raise LookupError(f"no clearing step {key!r} is registered") from exc
