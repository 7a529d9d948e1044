"""Console pages for credit: applications (queue and four-eyes decisions), credit lines,
evaluations and the package catalogue (terms edited through parameter maker-checker)."""

from credit.admin import applications, lines, packages

__all__ = ["applications", "lines", "packages"]
