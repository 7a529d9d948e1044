"""People: staff and client users, their sessions, and the client record every stage hangs on."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField
from simple_history.models import HistoricalRecords

from accounts.enums import ClientKind, ClientStatus


class User(AbstractUser):
    """Staff and client logins. Staff roles are groups (see ``accounts.roles``)."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = "user"
        verbose_name_plural = "users"

    def __str__(self) -> str:
        return self.display_name or self.get_username()

    @property
    def role_names(self) -> list[str]:
        return sorted(self.groups.values_list("name", flat=True))


class UserSession(models.Model):
    """Which sessions belong to whom, so disabling a user can end them all at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("user session")

    def __str__(self) -> str:
        return f"{self.user} session"


class Client(models.Model):
    """A margin-financing client: a natural person or an institution.

    The lifecycle status is a protected FSM field; it changes only through named transitions in
    ``accounts.services`` (called by the later stages: credit, contracts, risk).
    """

    client_no = models.CharField(_("client number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ClientKind.choices)
    display_name = models.CharField(_("name"), max_length=200)
    status = FSMField(
        _("status"),
        max_length=24,
        choices=ClientStatus.choices,
        default=ClientStatus.DRAFT,
        protected=True,
    )
    user = models.OneToOneField(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="client",
        help_text=_("The portal login of this client."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["client_no"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.client_no} {self.display_name}"
