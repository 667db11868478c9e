"""The owner's dashboard: sign-in, overview, conversations."""
