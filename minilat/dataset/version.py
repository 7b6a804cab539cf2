"""The dataset's version and date, read from ``data/datapackage.json``."""

from .schema import load_package

_package = load_package()

#: Version of the shipped dataset (semantic: MAJOR changes break columns or meanings).
DATASET_VERSION: str = _package.version
#: Date of the shipped dataset (ISO 8601).
DATASET_DATE: str = _package.created
