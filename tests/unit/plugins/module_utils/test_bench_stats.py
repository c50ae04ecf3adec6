# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bench's statistics, checked by seeded simulation (their coverage, their false-positive
rate and their power) as well as on fixed numbers. Each simulation calls the collection's own
functions with 2,000 trials of lognormal runs and a fixed seed."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import random

import pytest

from ansible_collections.electrode.cluster.plugins.module_utils import bench_stats as stats

TRIALS = 2000


def lognormal_runs(rng, n, center=1000.0, noise=0.05):
    return [center * math.exp(rng.gauss(0.0, noise)) for dummy in range(n)]


@pytest.mark.parametrize("n", range(6, 16))
def test_the_median_interval_covers_the_true_median_at_least_as_often_as_it_says(n):
    rng = random.Random(1000 + n)
    center = 1000.0  # the median of a lognormal around it
    covered = 0
    for dummy in range(TRIALS):
        interval = stats.median_interval(lognormal_runs(rng, n, center, noise=0.3))
        assert interval["holds"] and interval["coverage"] >= 0.95
        covered += interval["low"] <= center <= interval["high"]
    assert covered / float(TRIALS) >= 0.94


@pytest.mark.parametrize("n, coverage", [(2, 0.5), (3, 0.75), (4, 0.875), (5, 0.9375)])
def test_too_few_runs_give_the_range_with_its_actual_coverage_never_95(n, coverage):
    interval = stats.median_interval([5.0, 1.0, 3.0, 4.0, 2.0][:n])
    assert (interval["low"], interval["high"]) == (min([5.0, 1.0, 3.0, 4.0, 2.0][:n]), max([5.0, 1.0, 3.0, 4.0, 2.0][:n]))
    assert interval["coverage"] == pytest.approx(coverage) and not interval["holds"]
    # And the simulation agrees with the printed coverage.
    rng = random.Random(n)
    intervals = [stats.median_interval(lognormal_runs(rng, n)) for dummy in range(TRIALS)]
    hits = sum(1 for i in intervals if i["low"] <= 1000.0 <= i["high"])
    assert abs(hits / float(TRIALS) - coverage) < 0.03


def test_one_run_has_no_interval():
    expected = {"median": 7.0, "n": 1, "low": None, "high": None, "coverage": None, "holds": False}
    assert stats.median_interval([7.0]) == expected


def test_excluded_runs_are_left_out_and_no_runs_is_an_error():
    assert stats.median_interval([None, 3.0, None, 1.0, 2.0])["median"] == 2.0
    with pytest.raises(ValueError):
        stats.median_interval([None])


def test_runs_needed_for_a_confidence():
    assert [stats.runs_needed(c) for c in (0.5, 0.75, 0.9, 0.95, 0.99)] == [2, 3, 5, 6, 8]
    # Five comparisons in one experiment: each at 99%, which needs 8 pairs.
    assert stats.adjusted_confidence(0.95, 5) == pytest.approx(0.99)
    assert stats.pairs_needed(stats.adjusted_confidence(0.95, 5)) == 8


@pytest.mark.parametrize("n", range(2, 16))
def test_identical_variants_are_rarely_called_faster_or_slower_and_never_below_the_minimum(n):
    rng = random.Random(2000 + n)
    false = 0
    for dummy in range(TRIALS):
        drift = [rng.gauss(0.0, 0.02) for dummy in range(n)]  # what both runs of a repetition share
        reference = [1000.0 * math.exp(d + rng.gauss(0.0, 0.03)) for d in drift]
        other = [1000.0 * math.exp(d + rng.gauss(0.0, 0.03)) for d in drift]
        verdict = stats.compare(reference, other)["verdict"]
        if n < stats.pairs_needed(0.95):
            assert verdict == "too few runs (%d pairs, needs 6)" % n
        false += verdict in ("faster", "slower")
    assert false / float(TRIALS) <= 0.05


def test_a_ten_percent_effect_with_three_percent_noise_is_found_with_eight_pairs():
    rng = random.Random(3)
    found = 0
    for dummy in range(TRIALS):
        reference = lognormal_runs(rng, 8, 1000.0, noise=0.03)
        other = lognormal_runs(rng, 8, 1100.0, noise=0.03)
        found += stats.compare(reference, other)["verdict"] == "faster"
    assert found / float(TRIALS) >= 0.80


def test_the_paired_interval_covers_the_true_ratio():
    rng = random.Random(4)
    covered = 0
    for dummy in range(TRIALS):
        drift = [rng.gauss(0.0, 0.05) for dummy in range(8)]
        reference = [1000.0 * math.exp(d + rng.gauss(0.0, 0.03)) for d in drift]
        other = [1050.0 * math.exp(d + rng.gauss(0.0, 0.03)) for d in drift]
        result = stats.compare(reference, other)
        covered += result["low"] <= 1.05 <= result["high"]
    assert covered / float(TRIALS) >= 0.94


def test_pairing_finds_a_small_effect_under_drift_more_often():
    # A +2% effect under a slow drift of the cluster that both runs of a repetition share: pairs
    # see through the drift. Against a comparison that ignores the pairing (each variant's
    # order-statistic interval), the paired one finds the effect more often.
    rng = random.Random(5)
    paired = unpaired = 0
    for dummy in range(500):
        drift = [0.01 * k + rng.gauss(0.0, 0.002) for k in range(8)]
        reference = [1000.0 * math.exp(d + rng.gauss(0.0, 0.004)) for d in drift]
        other = [1000.0 * math.exp(d + math.log(1.02) + rng.gauss(0.0, 0.004)) for d in drift]
        paired += stats.compare(reference, other, margin=0.0)["verdict"] == "faster"
        unpaired += stats.median_interval(other)["low"] > stats.median_interval(reference)["high"]
    assert paired > unpaired


def test_an_experiment_of_five_comparisons_keeps_its_false_verdicts_within_five_percent():
    # The load-curve example: 5 load points, each a comparison, at the corrected confidence.
    rng = random.Random(6)
    confidence = stats.adjusted_confidence(0.95, 5)
    any_false = 0
    for dummy in range(TRIALS):
        verdicts = [stats.compare(lognormal_runs(rng, 9, noise=0.03), lognormal_runs(rng, 9, noise=0.03),
                                  confidence=confidence, margin=0.0)["verdict"] for point in range(5)]
        any_false += any(v in ("faster", "slower") for v in verdicts)
    assert any_false / float(TRIALS) <= 0.05


@pytest.mark.parametrize(
    "other, verdict",
    [
        ([1100, 1120, 1090, 1100, 1110, 1080, 1100, 1130], "faster"),
        ([900, 910, 880, 905, 895, 890, 900, 915], "slower"),
        ([1003, 998, 1000, 1002, 999, 1001, 1000, 1004], "same within 2%"),
        ([1050, 960, 1090, 930, 1000, 1040, 970, 1010], "not distinguishable with 8 pairs"),
    ],
)
def test_verdicts_on_fixed_numbers(other, verdict):
    result = stats.compare([1000] * 8, other)
    assert result["verdict"] == verdict
    assert result["low"] <= result["ratio"] <= result["high"] and result["pairs"] == 8


def test_a_small_but_sure_difference_inside_the_margin_is_the_same():
    # 0.3% faster with little noise: inside the 2% margin, not "faster".
    assert stats.compare([1000] * 8, [1003, 1002, 1003, 1004, 1003, 1002, 1003, 1003])["verdict"] == "same within 2%"
    assert stats.compare([1000] * 8, [1003, 1002, 1003, 1004, 1003, 1002, 1003, 1003], margin=0.0)["verdict"] == "faster"


def test_latency_is_better_lower():
    assert stats.compare([100] * 8, [60, 61, 59, 60, 62, 58, 60, 61], better="lower")["verdict"] == "faster"
    assert stats.compare([100] * 8, [160, 161, 159, 160, 162, 158, 160, 161], better="lower")["verdict"] == "slower"


def test_excluded_runs_break_their_pairs_only():
    reference = [1000, None, 1000, 1000, 1000, 1000, 1000, 1000]
    other = [1100, 1100, None, 1100, 1100, 1100, 1100, 1100]
    result = stats.compare(reference, other)
    assert result["pairs"] == 6 and result["verdict"] == "faster"


@pytest.mark.parametrize("margin", [-0.01, 0.5, 0.7])
def test_bad_margins_are_refused(margin):
    with pytest.raises(ValueError, match="margin"):
        stats.compare([1] * 6, [1] * 6, margin=margin)


def test_pooled_percentiles_of_a_client_with_stalls_and_one_without():
    # One client: 3% of requests stalled 5 ms; the other: none. The pooled requests' p99 is a stall
    # (1.5% of all requests are); a mean of the two clients' p99 would say about 2.6 ms.
    stalled = [50000] * 970 + [5000000] * 30
    clean = [50000] * 1000
    p50, p99 = stats.pooled_percentiles([stalled, clean], [0.5, 0.99])
    assert (p50, p99) == (50000, 5000000)


def test_pooled_percentiles_of_two_clients_at_different_speeds():
    # Clients at 60 and 140 us: the pooled p99 is 140 us (a weighted mean of p99s: 97 us, which 38%
    # of requests, all of the slower client's, exceed).
    fast = [60000] * 620
    slow = [140000] * 380
    p50, p99 = stats.pooled_percentiles([fast, slow], [0.5, 0.99])
    assert (p50, p99) == (60000, 140000)
    assert stats.pooled_percentiles([[3, 1, 2]], [0.0, 0.5, 0.99]) == [1, 2, 3]
    with pytest.raises(ValueError):
        stats.pooled_percentiles([[], []], [0.5])


def steady_series(rng, rate=5000.0, seconds=4.0, step=0.1):
    times, counts, total = [], [], 0
    for k in range(int(seconds / step) + 1):
        times.append(k * step)
        counts.append(total)
        total += max(0, int(rng.gauss(rate * step, math.sqrt(rate * step) * 3)))
    return times, counts


def test_steady_runs_are_rarely_flagged():
    rng = random.Random(7)
    flagged = sum(1 for dummy in range(500) if stats.steadiness(*steady_series(rng))["flags"])
    assert flagged / 500.0 <= 0.05


def test_a_stall_a_drop_and_a_trend_are_flagged():
    rng = random.Random(8)
    times, counts = steady_series(rng)
    stalled = counts[:15] + [counts[15]] * 6 + [c - (counts[21] - counts[15]) for c in counts[21:]]
    result = stats.steadiness(times, stalled)
    assert result["steady"] is False and result["flags"][0].startswith("stall 0.6")
    assert result["longest_stall_s"] == pytest.approx(0.6)
    # A stopped leader still receives a resend now and then: a trickle is a stall too.
    trickle = counts[:15] + [counts[15] + k for k in range(1, 7)] + [c - (counts[21] - counts[15]) + 6 for c in counts[21:]]
    assert stats.steadiness(times, trickle)["flags"][0].startswith("stall 0.6")
    # The rate halves for the second half.
    dropped = counts[:21] + [counts[20] + (c - counts[20]) // 2 for c in counts[21:]]
    assert any(f.startswith("level -") for f in stats.steadiness(times, dropped)["flags"])
    # The rate grows steadily from 2,000 to 8,000 per second.
    grown, total = [], 0.0
    for k in range(len(times)):
        grown.append(int(total))
        total += (2000 + 1500 * times[k]) * 0.1
    assert any(f.startswith("trend +") for f in stats.steadiness(times, grown)["flags"])


def test_a_window_too_short_says_nothing_and_the_window_cuts_the_series():
    assert stats.steadiness([0.0, 0.1, 0.2], [0, 10, 20])["steady"] is None
    rng = random.Random(9)
    times, counts = steady_series(rng)
    # A stall before the measured window is not the run's.
    stalled = [0] * 10 + counts[10:]
    assert stats.steadiness(times, stalled, start=1.0)["steady"] is True


def test_cumulative_counters_are_read_between_samples():
    assert stats.cumulative_at([0.0, 1.0, 2.0], [0, 100, 300], 1.5) == 200
    assert stats.cumulative_at([0.0, 1.0], [0, 100], 2.0) is None


def test_a_target_is_met_by_enough_close_runs_only():
    close = [1000.0, 1010.0, 990.0, 1005.0, 995.0, 1002.0]
    assert stats.within_target(close, 0.05) is True
    assert stats.within_target(close[:5], 0.05) is False  # no 95% interval from 5 runs
    assert stats.within_target(close + [1500.0, 500.0], 0.05) is False
    assert stats.within_target([None, None], 0.05) is False


@pytest.mark.parametrize("n", [7, 9, 12])
def test_the_floor_multiple_covers_the_true_ratio_at_least_as_often_as_it_says(n):
    """A cell's median latency over the floor's median round trip: runs' medians around 120 us,
    2,000 round trips around 40 us (the floor's spread far wider): the true multiple is 3."""
    rng = random.Random(2000 + n)
    covered = 0
    for dummy in range(TRIALS // 4):
        floor = lognormal_runs(rng, 2000, 40.0, noise=0.4)
        interval = stats.floor_multiple(lognormal_runs(rng, n, 120.0, noise=0.2), floor)
        assert interval["holds"] and interval["coverage"] >= 0.95
        covered += interval["low"] <= 3.0 <= interval["high"]
    assert covered / float(TRIALS // 4) >= 0.94


def test_a_floor_multiple_from_too_few_runs_says_what_it_covers():
    floor = [40.0 + i % 7 for i in range(1000)]
    few = stats.floor_multiple([100.0, 110.0, 120.0, 130.0], floor)
    assert not few["holds"] and few["coverage"] < 0.95 and few["low"] < few["median"] < few["high"]
    one = stats.floor_multiple([100.0], floor)
    assert one["low"] is None and one["median"] == pytest.approx(100.0 / 43.0)
    assert stats.floor_multiple([], floor) is None and stats.floor_multiple([100.0], []) is None
