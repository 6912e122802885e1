"""Test helpers for people who extend successkit.

:class:`ScorerContract` checks a custom scorer; :class:`RuleContract` checks a
custom detection rule. Subclass them in your own test suite.
"""

from successkit.testing._rules import RuleContract, dangling_references, with_future_context
from successkit.testing._scorers import ScorerContract, with_future_data

__all__ = [
    "RuleContract",
    "ScorerContract",
    "dangling_references",
    "with_future_context",
    "with_future_data",
]
