"""Errors a user can fix: the message is written for them and shown as it is."""


class UserError(Exception):
    """Bad input or a refused action. The CLI prints it as one `error: ` line and exits 2."""


class ReadOnlyError(UserError):
    """A write attempted with a read-only role or connection."""


class NotFoundError(UserError):
    """An id that names nothing."""
