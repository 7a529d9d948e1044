"""Custody writes. Import from the topic modules (``custody.services.ledger`` etc.)."""
