"""Use cases: the one API that the ui and the cli both call."""
