"""sinfronteras: a collective shares its resources and its decisions, without borders."""

__version__ = "0.1.0"
