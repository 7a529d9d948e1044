"""Credit writes. Every function is keyword-only, owns its transaction and raises domain errors.

Other apps call these (never the models' transition methods):

* contracts: :func:`credit_line_activate` when the contract bundle is signed;
* risk / compliance: :func:`credit_line_suspend`, :func:`credit_line_resume`;
* scheduler: :func:`credit_applications_expire`, :func:`credit_lines_expire`.
"""

from credit.services.applications import (
    credit_application_approve,
    credit_application_reject,
    credit_application_review,
    credit_application_submit,
    credit_applications_expire,
)
from credit.services.catalogue import (
    credit_defaults_install,
    leverage_package_define,
    leverage_package_set_active,
    market_regime_propose,
)
from credit.services.lines import (
    credit_line_activate,
    credit_line_close,
    credit_line_renew,
    credit_line_resume,
    credit_line_suspend,
    credit_lines_expire,
)

__all__ = [
    "credit_application_approve",
    "credit_application_reject",
    "credit_application_review",
    "credit_application_submit",
    "credit_applications_expire",
    "credit_defaults_install",
    "credit_line_activate",
    "credit_line_close",
    "credit_line_renew",
    "credit_line_resume",
    "credit_line_suspend",
    "credit_lines_expire",
    "leverage_package_define",
    "leverage_package_set_active",
    "market_regime_propose",
]
