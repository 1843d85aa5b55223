"""The dialogs: logging, phase changes, the first-run wizard, protocols, the audit trail, preferences, about."""
