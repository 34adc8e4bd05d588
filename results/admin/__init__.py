"""The archive's Django admin, one module per concern; importing them registers the models."""

from results.admin import cards, conference, photos, reports, search  # noqa: F401
