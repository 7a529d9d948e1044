from django.urls import path

from portal import contract_views, statement_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", views.PortalLogoutView.as_view(), name="logout"),
    path("contracts/", contract_views.contract_list, name="contracts"),
    path("contracts/<str:contract_no>/", contract_views.contract_detail, name="contract"),
    path(
        "contracts/<str:contract_no>/code/",
        contract_views.contract_request_code,
        name="contract-code",
    ),
    path(
        "contracts/<str:contract_no>/sign/", contract_views.contract_sign_view, name="contract-sign"
    ),
    path(
        "contracts/<str:contract_no>/documents/<int:document_id>/",
        contract_views.contract_document,
        name="contract-document",
    ),
    path("verify/", contract_views.verify, name="verify"),
    path("statements/", statement_views.statement_list, name="statements"),
    path(
        "statements/<int:statement_id>/pdf/",
        statement_views.statement_download,
        name="statement-pdf",
    ),
    path(
        "statements/month/<str:month>/pdf/",
        statement_views.monthly_download,
        name="statement-month",
    ),
]
