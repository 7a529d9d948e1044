"""Work queues on the operations console's home page.

Each app registers its queues (KYC to review, screening cases, margin calls, …) in its
``AppConfig.ready``; the admin home shows every queue the signed-in person may open, with a count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class WorkQueue:
    key: str
    title: StrOrPromise
    description: StrOrPromise
    count: Callable[[], int]
    url_name: str
    url_query: str = ""
    permission: str | None = None
    order: int = 100

    def url(self) -> str:
        try:
            base = reverse(self.url_name)
        except NoReverseMatch:
            return ""
        return f"{base}?{self.url_query}" if self.url_query else base


_queues: dict[str, WorkQueue] = {}


def register_queue(queue: WorkQueue) -> None:
    _queues[queue.key] = queue


def queues_for(user: Any) -> list[tuple[WorkQueue, int]]:
    visible = [
        q
        for q in sorted(_queues.values(), key=lambda q: (q.order, q.key))
        if q.permission is None or user.has_perm(q.permission)
    ]
    return [(q, q.count()) for q in visible]
