"""The archive's Django admin, one module per concern; importing them registers the models."""

from results.admin import cards, conference, reports, search  # noqa: F401
