"""Twilio adapter: signatures, TwiML (pure), REST call control through TWILIO_API_BASE."""
