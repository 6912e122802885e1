"""Shared test configuration: Hypothesis profiles and common fixtures."""

from __future__ import annotations

import os
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, settings

# "dev" is quick for local runs; CI runs the thorough profile.
settings.register_profile(
    "dev", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

AS_OF = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def as_of() -> datetime:
    """A fixed evaluation moment: tests never read the clock."""
    return AS_OF
