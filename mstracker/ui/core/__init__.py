"""What every screen of the app shares: the one runner for work off the UI thread, the session and its change bus,
undo, settings, words, style, and the shared models and inputs."""
