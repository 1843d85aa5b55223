"""Medicines taken at home: courses, the doses they produce, their statuses, adherence and the missed-dose
warning (docs/medicines.md). Pure: no clock, no storage; "now" and the local zone are passed in."""
