from contracts.models.contracts import (
    Contract,
    ContractDocument,
    ContractSequence,
    Signature,
)
from contracts.models.signing import SigningChallenge
from contracts.models.templates import Clause, ClauseVersion, ContractTemplate, TemplateVersion

__all__ = [
    "Clause",
    "ClauseVersion",
    "Contract",
    "ContractDocument",
    "ContractSequence",
    "ContractTemplate",
    "Signature",
    "SigningChallenge",
    "TemplateVersion",
]
