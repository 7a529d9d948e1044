"""Console pages for contracts: contracts by state (download, terminate, history) and the
template/clause editor with maker-checker approval."""

from contracts.admin import contracts, wording

__all__ = ["contracts", "wording"]
