"""The caregiver's schedule: today, this week, the next four weeks and a month calendar."""
