from django.urls import path

from contracts.api.views import VerifyDocumentApi

urlpatterns = [
    path("verify/", VerifyDocumentApi.as_view(), name="verify"),
]
