"""What a menu entry does: functions that take a parent widget, the session and explicit arguments (never the
window), and run their work through the core runner."""
