"""Medicines taken at home: today's doses on the main window, the dose announcements, the Medicines view."""
