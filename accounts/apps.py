from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and clients")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts import queues, receivers, rules  # noqa: F401  (receivers: audit hooks)
        from accounts.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="fulcrum_sync_roles")
        rules.register()
        queues.register()
