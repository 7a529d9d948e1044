from django.db import models
from django.utils.translation import gettext_lazy as _


class ParameterStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ParameterSource(models.TextChoices):
    # Regulatory history loaded with the schema: published figures, not anyone's decision.
    SEED = "seed", _("Regulatory seed")
    CHANGE = "change", _("Maker-checker change")


class ValueType(models.TextChoices):
    DECIMAL = "decimal", _("Decimal")
    INTEGER = "integer", _("Integer")
    BOOLEAN = "boolean", _("Yes/no")
    STRING = "string", _("Text")
    CHOICE = "choice", _("Choice")
    JSON = "json", _("Table (JSON)")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    DENIED = "denied", _("Denied")
    FAILURE = "failure", _("Failure")


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logout")
    LOCKED_OUT = "locked_out", _("Locked out")
    PERMISSION_DENIED = "permission_denied", _("Permission denied")
    EXPORT = "export", _("Export")
    APPROVAL = "approval", _("Approval")
    REJECTION = "rejection", _("Rejection")
    PROPOSAL = "proposal", _("Proposal")
    REVEAL = "reveal", _("Reveal of personal data")
    USER_DISABLED = "user_disabled", _("User disabled")
    MFA_ENROLLED = "mfa_enrolled", _("Second factor enrolled")
    TRANSITION = "transition", _("State transition")
    OVERRIDE = "override", _("Override")
