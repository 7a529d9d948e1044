from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustodyConfig(AppConfig):
    name = "custody"
    verbose_name = _("Custody and ledger")

    def ready(self) -> None:
        from credit.capacity import register_used_amount_provider
        from custody import queues
        from custody.credit_terms import financed_principal_used

        queues.register()
        # Credit capacity reads the amount drawn from the ledger (credit cannot import custody).
        register_used_amount_provider(financed_principal_used)
