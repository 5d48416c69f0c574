"""The partner world of tests/partners, shared with the aftercare tests."""

from tests.partners.conftest import partners  # noqa: F401
