from settlement.admin import runs, statements  # noqa: F401
