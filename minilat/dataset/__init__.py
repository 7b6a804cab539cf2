"""The course's forum dataset: schema, validation, loaders and queries."""

from .validate import DatasetError, Problem, validate

__all__ = ["DatasetError", "Problem", "validate"]
