"""The learning report sections: festival and officials' training, per subordinate unit."""

from __future__ import annotations

import pytest

from dxday.core.report_sections import SELF, Scope, registered_sections
from dxday.orgs.tests.factories import actor_of
from dxday.reports.selectors import report_units

from .. import services
from ..checkin import checkins_ingest
from ..models import Offering
from ..report_sections import LearningFestivalSection, OfficialsTrainingSection
from .conftest import make_offering, scan, walk_in

pytestmark = pytest.mark.django_db


def _scope(org, campaign):
    return Scope(organisation=org, campaign=campaign, period=None, units=report_units(org))


def test_sections_are_registered():
    codes = [s.code for s in registered_sections()]
    assert "learning_festival" in codes and "learning_officials" in codes


def test_festival_and_training_per_unit(tree, people, campaign, staff, time_before,
                                        django_assert_max_num_queries):  # fmt: skip
    c1 = actor_of(people.th_c1_reporter)
    c2 = actor_of(people.th_c2_reporter)
    province = actor_of(people.th_coordinator)
    o1 = make_offering(c1, campaign, tree.th_c1)
    o2 = make_offering(c2, campaign, tree.th_c2, capacity=None)
    r1 = services.registration_create(offering=o1, name="A")
    r2 = services.registration_create(offering=o2, name="B")
    checkins_ingest(actor=province, checkins=[scan(r1), scan(r2), walk_in(o2, 5)])
    training = make_offering(province, campaign, tree.th, kind=Offering.Kind.TRAINING,
                             capacity=None, commune=None, topics=["ai"])  # fmt: skip
    regs = services.registrations_enrol(actor=province, offering=training, organisation=tree.th_c1)
    checkins_ingest(actor=province, checkins=[scan(r) for r in regs])
    services.headcount_set(actor=province, campaign=campaign, organisation=tree.th_c1, officials=8)

    scope = _scope(tree.th, campaign)
    with django_assert_max_num_queries(3):
        festival = LearningFestivalSection().compute(scope)
    figs = {f.code: f for f in festival.figures()}
    assert figs["learning_offerings"].value == 2
    assert figs["learning_attendance"].value == 7
    assert figs["learning_attendance"].by_unit == {str(tree.th_c1.pk): 1, str(tree.th_c2.pk): 6}
    officials = {f.code: f for f in OfficialsTrainingSection().compute(scope).figures()}
    assert officials["learning_trainings"].by_unit == {SELF: 1}
    assert officials["learning_officials_trained"].by_unit == {str(tree.th_c1.pk): 2}
    assert officials["learning_officials_share"].by_unit[str(tree.th_c1.pk)] == 25.0
    empty = LearningFestivalSection().compute(_scope(tree.tq, campaign))
    assert empty.groups == [] and empty.note
