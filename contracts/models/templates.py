"""Contract wording as versioned data: templates (one per document kind and language) and the
clause library they include. A version is proposed by one person, approved by another, and never
edited after that; a version used by any contract is also never deleted (documents point at it).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contracts.enums import ClauseCode, DocumentKind, Language, VersionSource, VersionStatus
from core.exceptions import IllegalTransition

# Status moves a version may make after it is written; everything else is refused.
_ALLOWED_MOVES = {
    VersionStatus.PROPOSED: {VersionStatus.APPROVED, VersionStatus.REJECTED},
    VersionStatus.APPROVED: {VersionStatus.RETIRED},
}


class VersionedText(models.Model):
    """Fields and guards shared by template and clause versions."""

    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.PROPOSED
    )
    source = models.CharField(
        _("source"), max_length=8, choices=VersionSource.choices, default=VersionSource.CHANGE
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("body"), help_text=_("HTML with Django template variables, e.g. {{ warning_line|pct }}.")
    )
    variables = models.JSONField(
        _("variables used"), default=list, help_text=_("Derived from the body when proposed.")
    )
    reason = models.TextField(_("reason for the change"))
    maker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ("number", "title", "body", "variables")

    class Meta:
        abstract = True
        constraints = [
            # Four eyes, held by the database: an approved change has two different people.
            models.CheckConstraint(
                condition=(
                    Q(source="seed")
                    | ~Q(status="approved")
                    | (
                        Q(maker__isnull=False)
                        & Q(checker__isnull=False)
                        & ~Q(maker=models.F("checker"))
                    )
                ),
                name="%(app_label)s_%(class)s_two_people",
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self._guard_update()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.status != VersionStatus.PROPOSED or self.is_used():
            raise IllegalTransition(
                f"{self.describe()} is {self.get_status_display().lower()} and kept for the "
                "record; only a proposed, unused version can be deleted"
            )
        return super().delete(*args, **kwargs)

    def is_used(self) -> bool:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def _guard_update(self) -> None:
        stored = (
            type(self)
            ._default_manager.filter(pk=self.pk)
            .values("status", *self.CONTENT_FIELDS)
            .get()
        )
        changed = [f for f in self.CONTENT_FIELDS if stored[f] != getattr(self, f)]
        if changed and (stored["status"] != VersionStatus.PROPOSED or self.is_used()):
            used = " and used by contracts" if self.is_used() else ""
            raise IllegalTransition(
                f"{self.describe()} is {VersionStatus(stored['status']).label.lower()}{used}; its "
                f"{', '.join(changed)} cannot change — propose a new version instead"
            )
        if stored["status"] != self.status and self.status not in _ALLOWED_MOVES.get(
            stored["status"], set()
        ):
            raise IllegalTransition(
                f"{self.describe()} cannot go from {stored['status']} to {self.status}"
            )


class ContractTemplate(models.Model):
    """One document of the bundle in one language; its wording lives in versions."""

    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    name = models.CharField(_("name"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "language"]
        verbose_name = _("contract template")
        verbose_name_plural = _("contract templates")
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="one_template_per_kind_lang")
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.language}]"


class TemplateVersion(VersionedText):
    template = models.ForeignKey(
        ContractTemplate, on_delete=models.PROTECT, related_name="versions"
    )
    stylesheet = models.TextField(_("stylesheet (CSS)"), blank=True)
    history = HistoricalRecords()

    CONTENT_FIELDS = ("template_id", "number", "title", "body", "stylesheet", "variables")

    class Meta(VersionedText.Meta):
        ordering = ["template", "-number"]
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        permissions = [
            ("propose_templateversion", "Can propose contract template wording"),
            ("approve_templateversion", "Can approve or reject contract template wording"),
        ]
        constraints = [
            *VersionedText.Meta.constraints,
            models.UniqueConstraint(fields=["template", "number"], name="template_version_number"),
            models.UniqueConstraint(
                fields=["template"],
                condition=Q(status="approved"),
                name="one_approved_template_version",
            ),
        ]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        return f"template {self.template.kind}/{self.template.language} v{self.number}"

    def is_used(self) -> bool:
        return self.pk is not None and self.documents.exists()


class Clause(models.Model):
    """A clause of the library, in one language; its wording lives in versions."""

    code = models.CharField(_("code"), max_length=30, choices=ClauseCode.choices)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "language"]
        verbose_name = _("clause")
        verbose_name_plural = _("clause library")
        constraints = [
            models.UniqueConstraint(fields=["code", "language"], name="one_clause_per_code_lang")
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} [{self.language}]"


class ClauseVersion(VersionedText):
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="versions")
    history = HistoricalRecords()

    CONTENT_FIELDS = ("clause_id", "number", "title", "body", "variables")

    class Meta(VersionedText.Meta):
        ordering = ["clause", "-number"]
        verbose_name = _("clause version")
        verbose_name_plural = _("clause versions")
        permissions = [
            ("propose_clauseversion", "Can propose clause wording"),
            ("approve_clauseversion", "Can approve or reject clause wording"),
        ]
        constraints = [
            *VersionedText.Meta.constraints,
            models.UniqueConstraint(fields=["clause", "number"], name="clause_version_number"),
            models.UniqueConstraint(
                fields=["clause"],
                condition=Q(status="approved"),
                name="one_approved_clause_version",
            ),
        ]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        return f"clause {self.clause.code}/{self.clause.language} v{self.number}"

    def is_used(self) -> bool:
        return self.pk is not None and self.documents.exists()
