"""The caregiver's calendar in the desktop app: the share dialog and the publication's state."""
