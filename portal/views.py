"""The client portal: sign-in with a second factor and the client's own home page."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.security import ClientLoginForm
from portal.selectors import client_for_user
from risk.margin.selectors import open_call_for_client, portal_messages


class PortalLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = ClientLoginForm
    redirect_authenticated_user = True
    # Without a ``next``, the client's home page (not Django's default /accounts/profile/).
    next_page = "portal:home"


class PortalLogoutView(auth_views.LogoutView):
    next_page = "portal:login"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_staff and not hasattr(request.user, "client"):
        return redirect("admin:index")
    if not request.user.is_verified():  # type: ignore[union-attr]
        return redirect("portal:login")
    client = client_for_user(request.user)
    context = {
        "client": client,
        "margin_call": open_call_for_client(client),
        "margin_messages": portal_messages(client),
    }
    return render(request, "portal/home.html", context)
