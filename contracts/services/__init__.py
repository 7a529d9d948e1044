"""Contract services (writes). Views, admin, commands and tasks call only these."""

from contracts.services.credit_lines import contract_for_credit_line
from contracts.services.documents import RenderCheck, document_render_check
from contracts.services.generation import (
    contract_bundle_generate,
    contract_issue,
    contract_new_version,
)
from contracts.services.lifecycle import DailyResult, contract_terminate, contracts_daily
from contracts.services.signing import WrongSigningCode, contract_sign, signing_code_send
from contracts.services.wording import (
    clause_version_approve,
    clause_version_propose,
    clause_version_reject,
    template_version_approve,
    template_version_propose,
    template_version_reject,
)

__all__ = [
    "DailyResult",
    "RenderCheck",
    "WrongSigningCode",
    "clause_version_approve",
    "clause_version_propose",
    "clause_version_reject",
    "contract_bundle_generate",
    "contract_for_credit_line",
    "contract_issue",
    "contract_new_version",
    "contract_sign",
    "contract_terminate",
    "contracts_daily",
    "document_render_check",
    "signing_code_send",
    "template_version_approve",
    "template_version_propose",
    "template_version_reject",
]
