"""Test helpers for people who extend successkit.

:class:`ScorerContract` checks a custom scorer; :class:`RuleContract` checks a
custom detection rule. Subclass them in your own test suite.
"""

from successkit.testing._scorers import ScorerContract, with_future_data

__all__ = ["ScorerContract", "with_future_data"]
