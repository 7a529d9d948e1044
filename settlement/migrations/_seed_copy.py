"""Import alias: migration module names start with a digit, tests compare its frozen copy."""

from importlib import import_module

_migration = import_module("settlement.migrations.0002_fees_and_vat_chart")
SCHEMA = _migration.SCHEMA
VALUES = _migration.VALUES
