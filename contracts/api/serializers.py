from rest_framework import serializers


class VerifyInputSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="The contract PDF as received.")
    sha256 = serializers.CharField(
        required=False, allow_blank=True, max_length=80, help_text="Or its SHA-256 (64 hex)."
    )


class VerificationSerializer(serializers.Serializer):
    matched = serializers.BooleanField(help_text="True only if Fulcrum issued exactly this file.")
    sha256 = serializers.CharField()
    contract_no = serializers.CharField()
    document_kind = serializers.CharField()
    document_title = serializers.CharField()
    language = serializers.CharField()
    client_name_masked = serializers.CharField()
    client_id_masked = serializers.CharField()
    issued_at = serializers.DateTimeField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    status_label = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(required=False)
