"""Pure clinical and journey logic: no Qt, no SQLAlchemy, no I/O, no clock ("today" is passed in)."""
