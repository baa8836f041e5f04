"""Aggregates against hand-counted fixtures, and the filters."""

import pytest
from django.test import override_settings

from maps.filters import FilterInvalid, filter_parse
from maps.selectors import dashboard_aggregates
from tests.maps.conftest import PATTAYA, PERIOD


def agg_for(**extra):  # type: ignore[no-untyped-def]
    return dashboard_aggregates(f=filter_parse({**PERIOD, **extra}))


@pytest.mark.django_db
def test_aggregates_counts_match_hand_counts(cases):
    agg = agg_for()
    assert agg.total == 7
    assert [(k, n) for k, _, n in agg.by_category] == [("crime", 4), ("health", 2), ("accident", 1)]
    assert [(k, n) for k, _, n in agg.by_country] == [("TH", 4), ("JP", 3)]
    assert [(k, n) for k, _, n in agg.by_region] == [("AS", 7)]
    assert agg.open_count == 5 and agg.closed_count == 2
    assert agg.filter.granularity == "week"
    assert sum(n for _, n in agg.trend) == 7
    assert sum(n for _, n in agg.trend_year_before) == 1


@pytest.mark.django_db
def test_aggregates_time_to_acknowledge_per_mission(cases):
    stats = {s.key: s for s in agg_for().ack_by_mission}
    bangkok, tokyo, osaka = stats["emb-th-bangkok"], stats["emb-jp-tokyo"], stats["cg-jp-osaka"]
    assert (bangkok.cases, bangkok.acknowledged) == (4, 4)
    assert bangkok.median_min == pytest.approx(25.0, abs=0.01)
    assert bangkok.p90_min == pytest.approx(30 + 0.7 * 170, abs=0.01)
    assert tokyo.median_min == pytest.approx(15.0, abs=0.01)
    assert tokyo.p90_min == pytest.approx(23.0, abs=0.01)
    assert (osaka.cases, osaka.acknowledged, osaka.median_min) == (1, 0, None)


@pytest.mark.django_db
def test_aggregates_sla_breaches_follow_settings(cases):
    agg = agg_for()
    # sev1 Osaka open and never acknowledged (1,440 min long past); sev2 200 > 120; sev3 30 is not > 30; sev4 25 > 15.
    assert agg.sla_by_severity == [(1, 1, 1), (2, 3, 1), (3, 1, 0), (4, 2, 1)]
    assert {s.key: s.breaches for s in agg.ack_by_mission} == {"emb-th-bangkok": 1, "emb-jp-tokyo": 1, "cg-jp-osaka": 1}
    with override_settings(ALERT_ACK_WITHIN_MINUTES={1: 1440, 2: 5, 3: 5, 4: 60}):
        assert agg_for().sla_by_severity == [(1, 1, 1), (2, 3, 3), (3, 1, 1), (4, 2, 0)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "total"),
    [
        ({"category": "health"}, 2),
        ({"severity": "2"}, 3),
        ({"country": "JP"}, 3),
        ({"country": "th"}, 4),
        ({"region": "AS"}, 7),
        ({"region": "EU"}, 0),
        ({"mission": "cg-jp-osaka"}, 1),
        ({"mission": "emb-jp-tokyo", "category": "health"}, 2),
        ({"from": "2026-11-20", "to": "2026-11-20"}, 6),
    ],
)
def test_filters_narrow_every_figure(cases, extra, total):
    agg = agg_for(**extra)
    assert agg.total == total
    assert sum(n for _, _, n in agg.by_category) == total
    assert sum(n for *_, n in agg.points) + sum(n for *_, n in agg.regions) == total
    assert (agg.ack_overall.cases if agg.ack_overall else 0) == total


@pytest.mark.django_db
def test_small_groups_are_shown_at_their_region_not_a_point(cases):
    agg = agg_for()
    assert agg.points == []  # no grid cell has 5 cases
    regions = {key: n for key, _, _, n in agg.regions}
    assert sum(regions.values()) == 7
    assert all(key.startswith(("TH/", "JP/")) for key in regions)
    with override_settings(MAPS_MIN_CLUSTER_SIZE=3):
        agg = agg_for()
    assert len(agg.points) == 1
    lat, lon, n = agg.points[0]
    assert n == 4
    assert (lat, lon) != PATTAYA  # the cell centre, not the cases' point
    assert abs(lat - PATTAYA[0]) < 0.1 and abs(lon - PATTAYA[1]) < 0.1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "forever"}, "period"),
        ({"period": "custom", "from": "2026-13-01"}, "from"),
        ({"period": "custom", "from": "2026-11-05", "to": "2026-11-01"}, "to"),
        ({"category": "alien"}, "category"),
        ({"severity": "9"}, "severity"),
        ({"region": "XX"}, "region"),
        ({"country": "Korea"}, "country"),
        ({"mission": "<script>"}, "mission"),
    ],
)
def test_filter_parse_rejects_bad_values_with_the_field(params, field):
    with pytest.raises(FilterInvalid) as caught:
        filter_parse(params)
    assert field in caught.value.fields


def test_filter_presets_are_half_open_periods():
    from datetime import UTC, datetime

    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    f = filter_parse({"period": "30d"}, now=now)
    assert (f.start.isoformat(), f.end.isoformat()) == ("2026-11-02T00:00:00+00:00", "2026-12-02T00:00:00+00:00")
    f = filter_parse({"period": "prev_year"}, now=now)
    assert (f.start.year, f.end.year, f.granularity) == (2025, 2026, "month")
    assert filter_parse({"from": "2026-01-01"}, now=now).preset == "custom"
