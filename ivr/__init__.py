"""ivr: a self-hosted, voice-first phone and SMS front desk for small businesses."""

__version__ = "0.1.0"
