from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "risk"
    verbose_name = _("Risk")

    def ready(self) -> None:
        from custody.fill_listeners import register_fill_listener
        from markets.feeds import register_price_listener
        from risk import queues
        from risk.liquidation import admin as liquidation_admin  # noqa: F401 — registers pages
        from risk.liquidation import margin_link
        from risk.liquidation import queues as liquidation_queues
        from risk.liquidation.services import liquidation_on_fill
        from risk.margin.engine import margin_on_tick

        register_price_listener(margin_on_tick)
        queues.register()
        liquidation_queues.register()
        register_fill_listener(liquidation_on_fill)
        margin_link.register()
