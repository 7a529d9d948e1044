"""``/api/v1/``: each app's ``<app>/api/urls.py`` is mounted under its own name."""

from importlib import import_module
from importlib.util import find_spec

from django.urls import URLPattern, URLResolver, include, path

from accounts.roles import FULCRUM_APPS

urlpatterns: list[URLPattern | URLResolver] = []
for label in FULCRUM_APPS:
    if find_spec(f"{label}.api") is not None and find_spec(f"{label}.api.urls") is not None:
        module = import_module(f"{label}.api.urls")
        urlpatterns.append(path(f"{label}/", include((module, label), namespace=f"api-{label}")))
