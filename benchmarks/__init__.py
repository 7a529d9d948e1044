"""Performance checks run against PostgreSQL (see the README)."""
