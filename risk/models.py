"""Risk models (re-exported so Django finds them in the ``risk`` app)."""

from risk.margin.models import MarginCall, MarginCallOverride, MarginNotification

__all__ = ["MarginCall", "MarginCallOverride", "MarginNotification"]
