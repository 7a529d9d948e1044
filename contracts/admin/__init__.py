"""Console pages for contracts: contracts by state (download, terminate, history), credit lines
waiting for their contract (generate and issue), and the template/clause editor with
maker-checker approval."""

from contracts.admin import contracts, credit_lines, wording

__all__ = ["contracts", "credit_lines", "wording"]
