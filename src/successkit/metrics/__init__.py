"""Customer Success KPIs: experience, retention and adoption, as pure functions.

The retention side (churn, renewal, expansion, gross and net revenue retention)
reads accounts; the experience side (NPS, CSAT) reads survey answers; the
adoption side (adoption rate, key action share, time to first value) reads
counts and moments. Churn, upsell and satisfaction are *lagging* indicators:
they tell whether customers reached their desired outcome, after the fact.

Conventions shared by every function here:

* **Scales.** NPS is on -100..100 and CSAT on 0..100, as both are usually
  reported. Every other rate is a fraction on 0..1 (``0.25`` is 25 %); GRR and
  NRR are ratios (``1.05`` is 105 %). Results are ``float``; money is summed as
  exact ``Decimal`` and only the final ratio becomes a ``float``.
* **Periods.** ``start`` and ``end`` bound a closed period ``[start, end]``.
  Datetimes must be timezone-aware; a ``date`` given for ``start`` means
  midnight UTC and a ``date`` given for ``end`` the end of that day (23:59:59
  UTC), as for a :class:`~successkit.model.TimeFrame`.
* **Customers at start.** An account is a customer at ``start`` when it has a
  contract whose ``start`` is on or before ``start`` and no CHURN event between
  the contract's start and ``start`` (a churn at ``start`` itself belongs to the
  period). ``Contract.start`` is read as "customer since": an account's current
  contract is the only one known, so a customer who left and came back under a
  new contract counts from the new contract's start.
* **Nothing silent.** A rate whose denominator would be zero raises
  :class:`~successkit.errors.ValidationError` instead of returning NaN, as does
  any input off its scale; the message names the argument, the value and what
  was expected.
"""

from __future__ import annotations

from successkit.metrics._accounts import (
    customers_at,
    expansion_rate,
    logo_churn_rate,
    logo_retention_rate,
    renewal_rate,
)
from successkit.metrics._common import Moment as Moment
from successkit.metrics._rates import (
    adoption_rate,
    churn_rate,
    key_action_share,
    over_deployed_seats,
)
from successkit.metrics._revenue import Amount as Amount
from successkit.metrics._revenue import (
    RevenueRetention,
    gross_revenue_retention,
    grr,
    net_revenue_retention,
    nrr,
    revenue_retention,
)
from successkit.metrics._survey import (
    CSAT_SATISFIED_MIN,
    NPS_DETRACTOR_MAX,
    NPS_PROMOTER_MIN,
    NpsBreakdown,
    csat,
    latest_by_respondent,
    nps,
    nps_breakdown,
)
from successkit.metrics._time_to_value import time_to_first_value, time_to_first_value_days

__all__ = [
    "CSAT_SATISFIED_MIN",
    "NPS_DETRACTOR_MAX",
    "NPS_PROMOTER_MIN",
    "NpsBreakdown",
    "RevenueRetention",
    "adoption_rate",
    "churn_rate",
    "csat",
    "customers_at",
    "expansion_rate",
    "gross_revenue_retention",
    "grr",
    "key_action_share",
    "latest_by_respondent",
    "logo_churn_rate",
    "logo_retention_rate",
    "net_revenue_retention",
    "nps",
    "nps_breakdown",
    "nrr",
    "over_deployed_seats",
    "renewal_rate",
    "revenue_retention",
    "time_to_first_value",
    "time_to_first_value_days",
]
