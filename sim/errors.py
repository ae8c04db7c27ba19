"""Errors and warnings raised for users.

Every error a user can cause (bad config, bad weather file, too little memory) is a subclass of
:class:`ColdgridError`; the CLI prints its message on one line and exits with status 2.
"""


class ColdgridError(Exception):
    """An error caused by the user's input; its message is shown as is, on one line."""

    exit_code = 2


class ConfigError(ColdgridError):
    """A config key has a wrong type, an out-of-range value, or is unknown."""


class InputError(ColdgridError):
    """An input file (weather, saved result) is missing, malformed or out of range."""


class NotComparableError(InputError):
    """A sweep whose scenarios cannot be compared run by run (jobs of different cities only)."""


class ResultError(ColdgridError):
    """A result would contain NaN or inf, or a saved result is incomplete."""


class OutputError(ColdgridError):
    """An output folder or file cannot be created or written (location, permissions, full disk)."""


class RefusedError(OutputError):
    """The output folder holds a finished result (or sweep) that the run would overwrite."""


class ColdgridWarning(UserWarning):
    """A warning of coldgrid's own; the test suite turns these into errors."""
