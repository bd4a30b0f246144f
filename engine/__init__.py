"""loushi: a rule-based governance-configuration engine for sub-district building governance."""

__version__ = "0.1.0"
