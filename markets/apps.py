from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketsConfig(AppConfig):
    name = "markets"
    verbose_name = _("Markets")

    def ready(self) -> None:
        from core.params import register_validator
        from markets import queues
        from markets.rules import SET_KEY, validate_rule_values

        queues.register()
        register_validator(SET_KEY, validate_rule_values)
