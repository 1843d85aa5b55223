"""Starting the app: the first paint, opening the database off the UI thread, the role question."""
