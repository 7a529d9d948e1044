"""How a signing code reaches the client: a provider interface, email by default.

A provider knows one channel. ``address_for`` finds where the client receives codes (refusing
clearly when there is nowhere); ``send`` delivers one message and is called only after the
transaction that created the code commits. The default sends email through Django's email
backend (the console backend in the demo); an SMS gateway implements the same two methods and
is chosen with the ``FULCRUM_SIGNING_CODE_PROVIDER`` setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from contracts.enums import DeliveryChannel
from core.exceptions import InvalidInput

DEFAULT_PROVIDER = "contracts.delivery.EmailCodeProvider"


@dataclass(frozen=True)
class CodeMessage:
    address: str
    subject: str
    body: str


class CodeDeliveryProvider(Protocol):
    channel: str

    def address_for(self, user: Any) -> str: ...

    def send(self, message: CodeMessage) -> None: ...


class EmailCodeProvider:
    channel = DeliveryChannel.EMAIL

    def address_for(self, user: Any) -> str:
        address = str(getattr(user, "email", "") or "").strip()
        if not address:
            raise InvalidInput(
                "no email address is registered for your login, so no signing code can be sent; "
                "ask the firm to update your contact details",
                field="email",
            )
        return address

    def send(self, message: CodeMessage) -> None:
        send_mail(message.subject, message.body, None, [message.address], fail_silently=False)


def default_provider() -> CodeDeliveryProvider:
    path = getattr(settings, "FULCRUM_SIGNING_CODE_PROVIDER", DEFAULT_PROVIDER)
    provider: CodeDeliveryProvider = import_string(path)()
    return provider


def mask_address(address: str) -> str:
    """``wang.fang@example.com`` → ``w***@example.com``; ``13812345678`` → ``138****5678``."""
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(address) >= 7:
        return address[:3] + "*" * (len(address) - 7) + address[-4:]
    return "*" * len(address)
