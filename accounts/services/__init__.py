"""Accounts services (writes), by topic, re-exported here."""

from accounts.services.clients import (
    InstitutionDetails,
    PersonDetails,
    bank_account_add,
    client_register_institution,
    client_register_person,
    partner_create,
    person_update,
    trader_add,
)
from accounts.services.documents import Upload, document_upload
from accounts.services.kyc import kyc_makers, kyc_reject, kyc_submit, kyc_verify
from accounts.services.lifecycle import client_close, client_resume, client_suspend
from accounts.services.pii import pii_reveal
from accounts.services.screening import (
    client_screen,
    sanctions_list_import,
    screening_case_clear,
    screening_case_confirm,
    screening_rescreen_all,
)
from accounts.services.staff import (
    BACKUP_CODE_COUNT,
    Enrolment,
    client_login_create,
    end_sessions,
    staff_user_create,
    totp_current_code,
    totp_enrol,
    user_deactivate,
)
from accounts.services.suitability import (
    client_mark_eligible,
    client_try_eligible,
    investor_classify,
    special_warning_record,
    suitability_assess,
)
from accounts.services.tiering import client_tier_refresh, tiers_recompute_all

__all__ = [
    "client_login_create",
    "BACKUP_CODE_COUNT",
    "Enrolment",
    "InstitutionDetails",
    "PersonDetails",
    "Upload",
    "bank_account_add",
    "client_close",
    "client_mark_eligible",
    "client_register_institution",
    "client_register_person",
    "client_resume",
    "client_screen",
    "client_suspend",
    "client_tier_refresh",
    "client_try_eligible",
    "document_upload",
    "end_sessions",
    "investor_classify",
    "kyc_makers",
    "kyc_reject",
    "kyc_submit",
    "kyc_verify",
    "partner_create",
    "person_update",
    "pii_reveal",
    "sanctions_list_import",
    "screening_case_clear",
    "screening_case_confirm",
    "screening_rescreen_all",
    "special_warning_record",
    "staff_user_create",
    "suitability_assess",
    "tiers_recompute_all",
    "trader_add",
    "totp_current_code",
    "totp_enrol",
    "user_deactivate",
]
