"""Margin-call services: the call lifecycle, overrides and notifications."""
