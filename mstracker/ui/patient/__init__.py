"""The patient's page: the banner, the journey timeline and the tabs (history, charts, outcomes, eligibility),
and the reminders."""
