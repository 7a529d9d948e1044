"""Staff roles as groups with least-privilege permissions.

Each Fulcrum app may declare ``ROLE_GRANTS = {role: [pattern, ...]}`` in its own ``roles.py``;
patterns are ``app_label.codename`` with shell wildcards (``credit.view_*``). The groups are
rebuilt from these declarations after every migration and by ``manage.py sync_roles``, so a
permission is never granted by hand and forgotten.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from importlib import import_module
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Group, Permission

from accounts.enums import StaffRole

FULCRUM_APPS = [
    "core",
    "markets",
    "accounts",
    "credit",
    "contracts",
    "custody",
    "risk",
    "settlement",
    "reports",
    "portal",
]

ROLE_GRANTS: dict[str, list[str]] = {
    StaffRole.OPERATIONS: [
        "accounts.view_*",
        "accounts.add_client",
        "accounts.change_client",
        "accounts.add_partner",
        "accounts.change_partner",
        "accounts.add_kycdocument",
        "accounts.review_kyc",
        "accounts.add_suitabilityassessment",
        "core.view_parameterset",
        "core.view_parameterversion",
        "markets.view_*",
    ],
    StaffRole.RISK_OFFICER: [
        "accounts.view_client",
        "core.view_parameterset",
        "core.view_parameterversion",
        "core.propose_parameterversion",
        "core.approve_parameterversion",
        "markets.view_*",
    ],
    StaffRole.COMPLIANCE: [
        "accounts.view_*",
        "accounts.review_kyc",
        "accounts.reveal_pii",
        "accounts.decide_onboarding",
        "accounts.decide_screeningcase",
        "accounts.add_sanctionslist",
        "accounts.import_sanctionslist",
        "accounts.add_suitabilityassessment",
        "accounts.add_investorclassification",
        "accounts.add_suitabilitywarning",
        "accounts.add_questionnaire",
        "accounts.change_questionnaire",
        "accounts.add_question",
        "accounts.change_question",
        "accounts.add_answeroption",
        "accounts.change_answeroption",
        "accounts.add_scoreband",
        "accounts.change_scoreband",
        "core.view_auditevent",
        "core.view_parameterset",
        "core.view_parameterversion",
        "core.propose_parameterversion",
        "core.approve_parameterversion",
        "markets.view_*",
    ],
    StaffRole.FINANCE: [
        "accounts.view_client",
        "core.view_parameterset",
        "core.view_parameterversion",
        "markets.view_*",
    ],
    # Read-only everywhere, history included (simple-history uses the view permission).
    StaffRole.AUDITOR: ["*.view_*", "core.export_auditevent"],
    StaffRole.ADMINISTRATOR: ["*.*"],
}


def collect_grants() -> dict[str, list[str]]:
    grants = {role: list(patterns) for role, patterns in ROLE_GRANTS.items()}
    for label in FULCRUM_APPS:
        if label == "accounts" or not apps.is_installed(label):
            continue
        try:
            module = import_module(f"{label}.roles")
        except ModuleNotFoundError:
            continue
        for role, patterns in getattr(module, "ROLE_GRANTS", {}).items():
            grants.setdefault(role, []).extend(patterns)
    return grants


def _matches(patterns: list[str], perm: Permission) -> bool:
    name = f"{perm.content_type.app_label}.{perm.codename}"
    return any(fnmatchcase(name, pattern) for pattern in patterns)


def sync_roles() -> dict[str, int]:
    """Create the role groups and set exactly the permissions the declarations grant."""
    all_perms = list(Permission.objects.select_related("content_type"))
    counts: dict[str, int] = {}
    for role, patterns in collect_grants().items():
        group, _ = Group.objects.get_or_create(name=StaffRole(role).label)
        granted = [perm for perm in all_perms if _matches(patterns, perm)]
        group.permissions.set(granted)
        counts[role] = len(granted)
    return counts


def role_group(role: str) -> Group:
    group, _ = Group.objects.get_or_create(name=StaffRole(role).label)
    return group


def sync_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    # Runs once per app after migrate; only the last app's signal sees every permission,
    # but syncing each time is cheap and keeps partial migrations consistent.
    if getattr(sender, "name", "") == "accounts" or sender.label in FULCRUM_APPS:
        sync_roles()
