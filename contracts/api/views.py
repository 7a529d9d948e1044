"""Public contract verification: did Fulcrum issue this PDF, to whom (masked) and when."""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from contracts.api.serializers import ErrorSerializer, VerificationSerializer, VerifyInputSerializer
from contracts.verification import verify
from core.exceptions import InvalidInput


class VerifyThrottle(AnonRateThrottle):
    """Per-address limit; exact-hash answers already make guessing pointless."""

    scope = "contracts-verify"

    def get_rate(self) -> str:
        return str(getattr(settings, "FULCRUM_VERIFY_RATE", "60/minute"))


class VerifyDocumentApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [VerifyThrottle]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="contracts_verify",
        summary="Verify a contract document",
        description=(
            "Upload a contract PDF (multipart field `file`) or send its SHA-256 (`sha256`). "
            "Answers whether Fulcrum issued exactly that document, to whom (masked) and when, "
            "and the contract's current status. No authentication."
        ),
        request={
            "multipart/form-data": VerifyInputSerializer,
            "application/json": VerifyInputSerializer,
        },
        responses={
            200: VerificationSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Not a PDF, or not a SHA-256."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = VerifyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            answer = verify(
                upload=data.validated_data.get("file"),
                sha256=data.validated_data.get("sha256") or "",
            )
        except InvalidInput as error:
            return Response(error.as_dict(), status=status.HTTP_400_BAD_REQUEST)
        return Response(VerificationSerializer(asdict(answer)).data)
