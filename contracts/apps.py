from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from contracts import queues
        from contracts.credit_line_subject import CreditLineSubject
        from contracts.subjects import register_subject

        queues.register()
        # Signing a contract about a credit line activates it; ending one suspends it.
        register_subject(CreditLineSubject())
