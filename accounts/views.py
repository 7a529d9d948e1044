"""The only way a stored document leaves the server: scoped to who is asking, never cached."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from accounts import selectors
from core.exceptions import PermissionRefused


@require_GET
@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    user = request.user
    if not user.is_verified():  # type: ignore[union-attr]
        raise PermissionDenied("sign in with your second factor to open documents")
    if user.is_staff and not user.has_perm("accounts.view_kycdocument"):
        raise PermissionDenied("your role may not open client documents")
    try:
        document = selectors.document_for(user=user, pk=pk)
    except PermissionRefused as exc:
        # Someone else's document and a missing one get the same answer.
        raise Http404("no such document") from exc
    extension = (document.file.name or "").rsplit(".", 1)[-1]
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        filename=f"{document.client.client_no}-{document.doc_type}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
