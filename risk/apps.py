from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "risk"
    verbose_name = _("Risk")

    def ready(self) -> None:
        from markets.feeds import register_price_listener
        from risk import queues
        from risk.margin.engine import margin_on_tick

        register_price_listener(margin_on_tick)
        queues.register()
