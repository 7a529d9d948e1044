"""Check stored contract PDFs: the file still hashes to its SHA-256, and a re-render matches."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contracts.models import ContractDocument
from contracts.services import document_render_check


class Command(BaseCommand):
    help = "Verify stored contract PDFs by hash and by rendering them again from the kept inputs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("contract_no", nargs="*", help="limit to these contracts")

    def handle(self, *args: Any, **options: Any) -> None:
        documents = ContractDocument.objects.select_related("contract", "template_version")
        if options["contract_no"]:
            documents = documents.filter(contract__contract_no__in=options["contract_no"])
        broken = 0
        for document in documents.order_by("pk"):
            check = document_render_check(document=document)
            verdict = "ok" if check.file_intact and check.reproduced else "MISMATCH"
            if not check.file_intact:
                verdict = "FILE CHANGED"
                broken += 1
            elif not check.reproduced and check.same_renderer:
                broken += 1
            elif not check.reproduced:
                verdict = "hash ok; re-render differs (renderer changed since)"
            self.stdout.write(f"{document.contract.contract_no} {document.kind}: {verdict}")
        if broken:
            raise CommandError(f"{broken} document(s) failed the check")
