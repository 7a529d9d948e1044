"""factory_boy factories shared across the suite."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.hashers import make_password

from accounts.enums import ClientKind, StaffRole
from accounts.models import Client, User
from accounts.roles import role_group, sync_roles

DEFAULT_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@fulcrum.example")
    password = factory.LazyFunction(lambda: make_password(DEFAULT_PASSWORD))


class StaffFactory(UserFactory):
    """A staff member in ``role`` (groups synced from the role declarations)."""

    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        role = kwargs.pop("role", StaffRole.OPERATIONS)
        user = super()._create(model_class, *args, **kwargs)
        if not role_group(role).permissions.exists():
            sync_roles()
        user.groups.add(role_group(role))
        return user


class ClientFactory(factory.django.DjangoModelFactory[Client]):
    class Meta:
        model = Client

    client_no = factory.Sequence(lambda n: f"C{n + 1:07d}")
    kind = ClientKind.PERSON
    display_name = factory.Faker("name", locale="zh_CN")
