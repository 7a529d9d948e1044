"""Console pages for custody (registered on import)."""

from custody.admin import aml, bank, funding, ledger, trading

__all__ = ["aml", "bank", "funding", "ledger", "trading"]
