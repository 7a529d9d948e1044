"""Accounts console pages, by topic."""

from accounts.admin import clients, records, users

__all__ = ["clients", "records", "users"]
