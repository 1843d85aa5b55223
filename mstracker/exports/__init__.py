"""Export writers and readers: iCalendar, CSV, PDF, FHIR."""
