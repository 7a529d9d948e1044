from core.models.audit import AuditChainHead, AuditEvent
from core.models.idempotency import IdempotencyRecord
from core.models.params import ParameterSet, ParameterVersion

__all__ = [
    "AuditChainHead",
    "AuditEvent",
    "IdempotencyRecord",
    "ParameterSet",
    "ParameterVersion",
]
