"""Moved to `units.loader`; kept so that older imports keep working."""

from units.loader import load_units  # noqa: F401
