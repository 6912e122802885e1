"""Deterministic sample accounts, portfolios and usage logs, for tests, demos and benchmarks.

Every account is synthetic yet believable: about twelve months of history before
``as_of`` (a contract, desired outcomes with their milestones, the customer's
people with their roles, interactions naming who took part, commitments,
orchestration, monthly metric observations, NPS and CSAT answers, lifecycle
events), shaped to one of the situations the Customer Success quadrants
describe (see :class:`Archetype`)::

    from successkit.samples import Archetype, sample_account, sample_portfolio

    advocate = sample_account(Archetype.ADVOCATE, account_id="acc-1")
    portfolio = sample_portfolio(500, seed=7)

:func:`usage_log` writes the two tables every SaaS company has, a contract
history and a usage event log, at any size, driven by hidden per-account
traits (see :mod:`successkit.evidence`)::

    from successkit.samples import usage_log

    log = usage_log(1000, seed=0)
    log.terms, log.events

The same arguments always give equal objects: randomness comes from a
generator seeded from the arguments, never from the global generator or the
clock. Every datetime of a result is timezone-aware and in UTC; nothing that
*happened* (interactions, observations, answers, lifecycle events, usage
events) lies after ``as_of``.
"""

from successkit.samples._archetypes import (
    DEMO_AS_OF,
    SEGMENTS,
    Archetype,
    appropriate_experience,
    coverage_model,
)
from successkit.samples._named import crm_sales_customer, email_event_customer
from successkit.samples._onboarding import new_customer
from successkit.samples._portfolio import portfolio_archetypes, sample_account, sample_portfolio
from successkit.samples._usage import EVENT_TYPES, UsageLog, usage_log

__all__ = [
    "DEMO_AS_OF",
    "EVENT_TYPES",
    "SEGMENTS",
    "Archetype",
    "UsageLog",
    "appropriate_experience",
    "coverage_model",
    "crm_sales_customer",
    "email_event_customer",
    "new_customer",
    "portfolio_archetypes",
    "sample_account",
    "sample_portfolio",
    "usage_log",
]
