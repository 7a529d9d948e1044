from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = _("Credit")

    def ready(self) -> None:
        from core.params import register_validator
        from credit import queues
        from credit.keys import PACKAGE_PREFIX, POLICY_SET, REGIME_SET, SCORECARD_SET
        from credit.rules import validators

        register_validator(PACKAGE_PREFIX, validators.validate_package)
        register_validator(REGIME_SET, validators.validate_regime)
        register_validator(POLICY_SET, validators.validate_policy)
        register_validator(SCORECARD_SET, validators.validate_scorecard_set)
        queues.register()
