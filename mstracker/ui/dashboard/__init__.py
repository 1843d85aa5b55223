"""The coordinators' dashboard: every patient at once."""
