"""The rule contract on the rules a CS leader acts on, with accounts that make each speak."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from successkit import Account, Pace
from successkit.detection import (
    AchievedLateRule,
    AdoptionStalledRule,
    CustomerChangeRule,
    ExperienceMismatchRule,
    HelixRule,
    LowSatisfactionRule,
    RenewalRiskRule,
    SegmentMismatchRule,
    SingleThreadedRule,
    StakeholderDepartedRule,
)
from test_detection_contract import BuiltInContract
from test_detection_leader import (
    GREEN,
    RED,
    email_platform,
    helix_customer,
    renewing,
    sales_cycle,
    sponsor,
    with_problems_account,
)


class LeaderContract(BuiltInContract):
    def accounts(self) -> Sequence[Account]:
        return [
            *super().accounts(),
            helix_customer(),
            renewing(48, achieved=False),
            renewing(60, arr=420_000, contacts=(sponsor(left=-30),)),
            sales_cycle(Pace(kind="lagging", leading_milestone="go-live")),
            email_platform(0),
            with_problems_account(),
        ]


class TestRenewalRiskContract(LeaderContract):
    rule = RenewalRiskRule()


class TestRenewalRiskRedContract(LeaderContract):
    rule = RenewalRiskRule(scorer=RED)


class TestRenewalRiskGreenContract(LeaderContract):
    rule = RenewalRiskRule(scorer=GREEN)


class TestStakeholderDepartedContract(LeaderContract):
    rule = StakeholderDepartedRule()


class TestCustomerChangeContract(LeaderContract):
    rule = CustomerChangeRule()


class TestSingleThreadedContract(LeaderContract):
    rule = SingleThreadedRule(min_interactions=1)


class TestAdoptionStalledContract(LeaderContract):
    rule = AdoptionStalledRule()


class TestAchievedLateContract(LeaderContract):
    rule = AchievedLateRule()


class TestLowSatisfactionContract(LeaderContract):
    rule = LowSatisfactionRule()


class TestExperienceMismatchContract(LeaderContract):
    rule = ExperienceMismatchRule()


class TestSegmentMismatchContract(LeaderContract):
    rule = SegmentMismatchRule()

    def accounts(self) -> Sequence[Account]:
        return [
            *super().accounts(),
            attrs.evolve(helix_customer(), segment="enterprise"),
        ]


class TestHelixContract(LeaderContract):
    rule = HelixRule()
