"""Errors raised for user mistakes: one clear message naming the field and the value."""


class ModelInputError(ValueError):
    """A user-facing input error (scenario, parameter, macro or data file); the message names the field and value."""


class ParameterError(ModelInputError):
    """A malformed parameter file, an unknown parameter path or a bad override value."""
