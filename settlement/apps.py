from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    name = "settlement"
    verbose_name = _("Settlement")

    def ready(self) -> None:
        from settlement import queues
        from settlement.steps import register_default_steps

        register_default_steps()
        queues.register()
