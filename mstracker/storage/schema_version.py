"""Which schema revisions this version knows, without importing Alembic or SQLAlchemy (the first paint's look
at a file and the command line's quick answers read it too)."""

# The newest migration in migrations/versions (a test keeps the two in step), and every revision before it.
HEAD = "0005"
KNOWN = ("0001", "0002", "0003", "0004", "0005")
