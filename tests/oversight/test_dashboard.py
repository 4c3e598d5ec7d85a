"""Dashboard figures against hand-computed fixtures, from rollups and straight from the reports."""
from datetime import date

import pytest

from app.oversight.dashboard import dashboard_data
from app.oversight.rollup import refresh_rollups
from app.oversight.scope import Filters, Scope, oversight_scope
from tests.oversight.conftest import NOW

HOUR = 3600.0
MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


def figures_of(data, station):
    return next(f for s, f in data.by_station if s is not None and s.id == station.id)


@pytest.fixture()
def march_april():
    return Filters(MARCH, APRIL)


@pytest.mark.parametrize("source", ["rollups", "direct"])
def test_station_figures_match_the_hand_computed_ones(db, world, timeline, march_april, source):
    refresh_rollups(now=NOW)
    data = dashboard_data(Scope(pao=world.pao), march_april, now=NOW, source=source)
    west = figures_of(data, world.west)
    # West holds R1, R2, R3, R4, R5, R7 (March) and R8 (April, drugs).
    assert west.reports == 7
    # first acknowledgements (h): R1 1, R2 2, R3 30, R4 4, R7 1 -> sorted 1 1 2 4 30
    assert west.ack_median == 2 * HOUR  # nearest rank ceil(0.5 x 5) = 3rd
    assert west.ack_p90 == 30 * HOUR  # ceil(0.9 x 5) = 5th
    # first outcomes (h): R1 10, R2 30, R3 192, R7 12 -> sorted 10 12 30 192
    assert west.act_median == 12 * HOUR  # 2nd of 4
    assert west.act_p90 == 192 * HOUR  # ceil(3.6) = 4th
    # acknowledged in time: R1 R2 R4 R7; late: R3; missed while open: R5 and R8 -> 4 of 7
    assert west.ack_sla == pytest.approx(4 / 7)
    # acted in time: R1 R2 R7 (R7 after its reopened clock); late: R3; missed while open: R4 R5 R8 -> 3 of 7
    assert west.act_sla == pytest.approx(3 / 7)
    assert west.overdue == 3  # R4 (act), R5 (both), R8 (both)
    assert west.transfer_rate == 0
    assert west.reopen_rate == pytest.approx(1 / 7)  # R7

    east = figures_of(data, world.east)
    assert east.reports == 1  # R6 counts for the station it is with now
    assert (east.ack_median, east.act_median) == (3 * HOUR, 8 * HOUR)  # first ack was at West, 3 h
    assert (east.ack_sla, east.act_sla, east.transfer_rate) == (1, 1, 1)


@pytest.mark.parametrize("source", ["rollups", "direct"])
def test_totals_months_categories_and_amphoe(db, world, timeline, march_april, source):
    refresh_rollups(now=NOW)
    data = dashboard_data(Scope(pao=world.pao), march_april, now=NOW, source=source)
    total = data.total
    assert total.reports == 8  # R9 belongs to the other PAO
    assert (total.ack_median, total.ack_p90) == (2 * HOUR, 30 * HOUR)  # 1 1 2 3 4 30
    assert (total.act_median, total.act_p90) == (12 * HOUR, 192 * HOUR)  # 8 10 12 30 192
    assert total.ack_sla == pytest.approx(5 / 8)
    assert total.act_sla == pytest.approx(4 / 8)
    assert total.transfer_rate == pytest.approx(1 / 8)
    assert total.reopen_rate == pytest.approx(1 / 8)
    assert total.open_reports == 7  # all but R2 (closed); action taken stays open until confirmed
    assert [(m, f.reports) for m, f in data.by_month] == [(MARCH, 7), (APRIL, 1)]
    assert {e["category"].code: e["figures"].reports for e in data.by_category} == {"crime": 7, "drugs": 1}
    crime = next(e for e in data.by_category if e["category"].code == "crime")
    assert [(c.code, f.reports) for c, f in crime["children"]] == [("crime.theft", 7)]
    assert [(code, f.reports) for code, _name, f in data.by_amphoe] == [("9001", 7), ("9002", 1)]


def test_filters_narrow_the_figures(db, world, timeline):
    refresh_rollups(now=NOW)
    drugs = Filters(MARCH, APRIL, category=world.categories["drugs"])
    assert dashboard_data(Scope(pao=world.pao), drugs, now=NOW).total.reports == 1
    east = Filters(MARCH, APRIL, station=world.east)
    assert dashboard_data(Scope(pao=world.pao), east, now=NOW).total.reports == 1
    april = Filters(APRIL, APRIL)
    data = dashboard_data(Scope(pao=world.pao), april, now=NOW)
    assert (data.total.reports, data.total.overdue) == (1, 1)


@pytest.mark.parametrize("source", ["rollups", "direct"])
def test_a_member_sees_the_same_figures_for_their_own_reports_only(db, world, timeline, march_april, source):
    refresh_rollups(now=NOW)  # members read their own rows of the member rollups, by default
    mine = dashboard_data(oversight_scope(world.member), march_april, now=NOW, source=source if source == "direct"
                          else None)
    assert mine.source == source
    assert mine.total.reports == 7  # R8 is member2's
    assert mine.total.ack_median == 2 * HOUR
    theirs = dashboard_data(oversight_scope(world.member2), march_april, now=NOW, source=source)
    assert (theirs.total.reports, theirs.total.overdue, theirs.total.ack_median) == (1, 1, None)


def test_a_coordinator_of_another_pao_sees_none_of_these_figures(db, world, timeline, march_april):
    refresh_rollups(now=NOW)
    data = dashboard_data(oversight_scope(world.other_coordinator, "songkhla"), march_april, now=NOW)
    assert data.total.reports == 1  # only R9, whatever ?pao= says
    assert [s.code for s, _f in data.by_station] == ["far"]
    everything = dashboard_data(oversight_scope(world.admin), march_april, now=NOW)
    assert everything.total.reports == 9


def test_a_report_filed_after_the_period_does_not_count(db, world, timeline):
    refresh_rollups(now=NOW)
    data = dashboard_data(Scope(pao=world.pao), Filters(date(2026, 1, 1), date(2026, 2, 1)), now=NOW)
    assert data.is_empty
    assert [f.reports for _m, f in data.by_month] == [0, 0]
