# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bench's statistics: intervals that hold what they print, verdicts that do not invent
differences, percentiles of the pooled requests, and whether a run was steady.

- :func:`median_interval`: a cell's median over its kept runs, with a distribution-free interval
  from order statistics (the binomial distribution of how many runs fall below the true median).
  Its coverage is exact for any continuous distribution; with too few runs for the confidence
  asked, the interval is the range of the runs and says what it covers.
- :func:`compare`: a variant against a reference, pair by pair (the same repetition and load
  point: the interleaving makes them neighbours in time). The Hodges-Lehmann estimate of the
  log ratio and its Wilcoxon signed-rank interval (exact null distribution), read against an
  equivalence margin: ``faster``/``slower`` only beyond it, ``same within`` inside it.
- :func:`pooled_percentiles`: every thread's and client's samples of a run pooled, each
  percentile taken by the client's own rule (index n x fraction of the sorted samples).
- :func:`steadiness`: a run's packet counter sampled over time (the sampler on the leader):
  a trend, a change of level between its halves, or a stall far longer than its median gap.

Pure functions on plain lists; numpy and scipy on the controller (requirements.txt).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools
import math

try:
    import numpy
    from scipy import stats as scipy_stats
except ImportError:  # the sanity test imports module_utils without them; the bench's controller has them
    numpy = None
    scipy_stats = None

VERDICTS = ("faster", "slower", "same", "not distinguishable", "too few runs")


def _need_libraries():
    if numpy is None or scipy_stats is None:
        raise RuntimeError("the bench's statistics need numpy and scipy on the controller: pip install -r requirements.txt")


def _median(ordered):
    n = len(ordered)
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0


def _check_confidence(confidence):
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie between 0 and 1 (got %s)" % confidence)


def runs_needed(confidence=0.95):
    """The fewest runs whose median has a distribution-free interval of at least ``confidence``:
    the range of n runs covers the median with probability 1 - 2 x 0.5^n (6 runs for 95%)."""
    _check_confidence(confidence)
    n = 1
    while 1.0 - 2.0 * 0.5 ** n < confidence:
        n += 1
    return n


def pairs_needed(confidence=0.95):
    """The fewest pairs whose Wilcoxon signed-rank interval reaches ``confidence``: the widest
    one, from the smallest to the largest Walsh average, covers 1 - 2 / 2^n (6 pairs for 95%)."""
    return runs_needed(confidence)


def adjusted_confidence(confidence, comparisons):
    """Each of ``comparisons`` verdicts of one experiment at this confidence, so that the chance
    of any false verdict stays within 1 - ``confidence`` (Bonferroni)."""
    _check_confidence(confidence)
    return 1.0 - (1.0 - confidence) / max(1, int(comparisons))


def median_interval(values, confidence=0.95):
    """The median of ``values`` (``None`` ignored) and a distribution-free interval for it.

    The interval is [x_(k), x_(n+1-k)] of the sorted values for the largest k whose coverage,
    1 - 2 P(Binomial(n, 1/2) <= k - 1), is at least ``confidence``. With fewer runs than that
    needs (:func:`runs_needed`), it is the range of the values with its actual coverage, below
    ``confidence`` (``holds`` false). One value has no interval.

    :returns: dict with ``median``, ``low``, ``high``, ``coverage`` (the interval's actual
        coverage; None with one value), ``n`` and ``holds`` (coverage >= confidence).
    """
    _check_confidence(confidence)
    ordered = sorted(float(v) for v in values if v is not None)
    n = len(ordered)
    if n == 0:
        raise ValueError("no values")
    result = {"median": _median(ordered), "n": n, "low": None, "high": None, "coverage": None, "holds": False}
    if n == 1:
        return result
    k, coverage = _order_statistic(n, confidence)
    result.update(low=ordered[k - 1], high=ordered[n - k], coverage=coverage, holds=coverage >= confidence - 1e-12)
    return result


@functools.lru_cache(maxsize=None)
def _order_statistic(n, confidence):
    """The narrowest interval [x_(k), x_(n+1-k)] of n values whose
    coverage reaches ``confidence`` (k = 1, the range, when none does), and its coverage."""
    _need_libraries()
    k = 1
    for candidate in range(1, n // 2 + 1):
        if 1.0 - 2.0 * float(scipy_stats.binom.cdf(candidate - 1, n, 0.5)) >= confidence:
            k = candidate
        else:
            break
    return k, 1.0 - 2.0 * float(scipy_stats.binom.cdf(k - 1, n, 0.5))


# The network floor's share of the error a multiple of the floor may make: its median's interval
# (from thousands of round trips, narrow) at 1 - (1 - c)/50, the latency's at 1 - 49(1 - c)/50.
FLOOR_ERROR_SHARE = 50


def floor_multiple(latencies, floor_samples, confidence=0.95):
    """A cell's median latency as a multiple of the network floor's median round trip.

    ``latencies``: the kept runs' median latencies; ``floor_samples``: the floor's round trips (same
    unit). The interval divides the latency median's interval by the floor median's, each from its
    order statistics (:func:`median_interval`) at a share of the error: by the union bound both
    hold together, and so the ratio's interval, with at least 1 - (1 - c_latency) - (1 - c_floor).

    :returns: dict like :func:`median_interval`'s (``median``, ``low``, ``high``, ``coverage``,
        ``n``, ``holds``) and the ``floor`` interval; None without latencies or floor samples.
    """
    _check_confidence(confidence)
    latencies = [v for v in latencies if v is not None]
    if not latencies or not floor_samples:
        return None
    error = 1.0 - confidence
    floor = median_interval(floor_samples, 1.0 - error / FLOOR_ERROR_SHARE)
    latency = median_interval(latencies, 1.0 - error * (FLOOR_ERROR_SHARE - 1) / FLOOR_ERROR_SHARE)
    result = {"median": latency["median"] / floor["median"], "n": latency["n"], "low": None, "high": None,
              "coverage": None, "holds": False, "floor": floor}
    if latency["low"] is None or floor["low"] is None or floor["low"] <= 0:
        return result
    coverage = max(0.0, 1.0 - (1.0 - latency["coverage"]) - (1.0 - floor["coverage"]))
    result.update(low=latency["low"] / floor["high"], high=latency["high"] / floor["low"], coverage=coverage,
                  holds=coverage >= confidence - 1e-12)
    return result


def within_target(values, target, confidence=0.95):
    """Whether the median of ``values`` (None ignored) has an interval at ``confidence`` within
    ``target`` of it on both sides (too few values for such an interval: not yet)."""
    kept = [v for v in values if v is not None]
    if not kept:
        return False
    interval = median_interval(kept, confidence)
    return bool(interval["holds"] and interval["low"] >= interval["median"] * (1 - target)
                and interval["high"] <= interval["median"] * (1 + target))


@functools.lru_cache(maxsize=None)
def _signed_rank_cdf(n):
    """P(T+ <= t) for t = 0 .. n(n+1)/2 under the null hypothesis (no ties): the number of subsets
    of {1..n} with each sum, from the product of (1 + x^i), over 2^n."""
    counts = numpy.zeros(n * (n + 1) // 2 + 1, dtype=float)
    counts[0] = 1.0
    for rank in range(1, n + 1):
        shifted = numpy.zeros_like(counts)
        shifted[rank:] = counts[:-rank]
        counts = counts + shifted
    return numpy.cumsum(counts) / 2.0 ** n


def _wilcoxon_interval(differences, confidence):
    """Hodges-Lehmann estimate of the center of ``differences`` and its Wilcoxon signed-rank
    interval: (estimate, low, high, coverage); low and high None when no interval reaches
    ``confidence``."""
    d = numpy.asarray(differences, dtype=float)
    n = len(d)
    i, j = numpy.triu_indices(n)
    walsh = numpy.sort((d[i] + d[j]) / 2.0)
    estimate = float(numpy.median(walsh))
    cdf = _signed_rank_cdf(n)
    m = len(walsh)
    # The largest k with P(T+ <= k - 1) <= (1 - confidence) / 2: [W_(k), W_(m+1-k)].
    k = 0
    while k < m // 2 and cdf[k] <= (1.0 - confidence) / 2.0 + 1e-15:
        k += 1
    if k == 0:
        return estimate, None, None, None
    coverage = 1.0 - 2.0 * float(cdf[k - 1])
    return estimate, float(walsh[k - 1]), float(walsh[m - k]), coverage


def compare(reference, other, confidence=0.95, margin=0.02, better="higher"):
    """``other`` against ``reference``, pair by pair.

    ``reference`` and ``other``: per-repetition values paired by position, ``None`` for a run that
    was excluded (its pair is left out). The estimate is the Hodges-Lehmann estimate of the log
    ratio other/reference, its interval the Wilcoxon signed-rank interval at ``confidence``, both
    given as ratios. With ``better`` ``higher`` (throughput) a ratio above 1 is ``faster``; with
    ``lower`` (latency) a ratio below 1 is.

    The verdict: ``faster`` or ``slower`` when the whole interval lies beyond the equivalence
    margin (a ratio of 1 + margin, or its inverse), ``same within N%`` when it lies inside it,
    ``not distinguishable with N pairs`` otherwise, and ``too few runs (N pairs, needs M)`` when
    no interval reaches the confidence.

    :returns: dict with ``ratio``, ``low``, ``high`` (None without an interval), ``coverage``,
        ``pairs`` and ``verdict``.
    """
    _check_confidence(confidence)
    if not 0 <= margin < 0.5:
        raise ValueError("the equivalence margin must lie in [0, 0.5) (got %s)" % margin)
    if better not in ("higher", "lower"):
        raise ValueError("better is higher or lower (got %s)" % better)
    if len(reference) != len(other):
        raise ValueError("reference and other must have one value per repetition (%d and %d)" % (len(reference), len(other)))
    pairs = [(float(r), float(o)) for r, o in zip(reference, other) if r is not None and o is not None]
    if any(r <= 0 or o <= 0 for r, o in pairs):
        raise ValueError("a ratio needs values above 0")
    n = len(pairs)
    needed = pairs_needed(confidence)
    result = {"ratio": None, "low": None, "high": None, "coverage": None, "pairs": n}
    if n == 0:
        result["verdict"] = "too few runs (0 pairs, needs %d)" % needed
        return result
    _need_libraries()
    differences = [math.log(o / r) for r, o in pairs]
    estimate, low, high, coverage = _wilcoxon_interval(differences, confidence)
    result["ratio"] = math.exp(estimate)
    if low is None:
        result["verdict"] = "too few runs (%d pairs, needs %d)" % (n, needed)
        return result
    result.update(low=math.exp(low), high=math.exp(high), coverage=coverage)
    bound = math.log(1.0 + margin)
    above, below = low > bound, high < -bound
    if above or below:
        result["verdict"] = "faster" if above == (better == "higher") else "slower"
    elif -bound <= low and high <= bound:
        result["verdict"] = "same within %g%%" % (100 * margin)
    else:
        result["verdict"] = "not distinguishable with %d pairs" % n
    return result


def pooled_percentiles(sample_lists, fractions):
    """The percentiles of every list's samples pooled (a run's threads and clients), each taken by
    the client's own rule: the sample at index n x fraction of the sorted samples."""
    pooled = sorted(s for samples in sample_lists for s in samples)
    if not pooled:
        raise ValueError("no samples")
    n = len(pooled)
    return [pooled[min(int(n * f), n - 1)] for f in fractions]


def cumulative_at(times, values, when):
    """A cumulative counter sampled at ``times`` (ascending), read at ``when`` by linear
    interpolation; None outside the samples."""
    if not times or when < times[0] or when > times[-1]:
        return None
    for index in range(1, len(times)):
        if times[index] >= when:
            span = times[index] - times[index - 1]
            if span <= 0:
                return float(values[index])
            share = (when - times[index - 1]) / span
            return values[index - 1] + (values[index] - values[index - 1]) * share
    return float(values[-1])


def steadiness(times, counts, start=None, end=None, trend_limit=0.2, stall_factor=20.0, p_value=0.01, stall_share=0.05):
    """Whether a run's traffic was steady over its measured window.

    ``times``, ``counts``: a cumulative packet counter (the leader's experiment interface) sampled
    at regular times; ``start``/``end`` cut it to the measured window. Flags:

    - ``stall``: the longest stretch of sample intervals each carrying less than ``stall_share`` of
      the median rate (a stopped leader still receives the clients' resends) spans two intervals or
      more and ``stall_factor`` times the median gap between packets or more;
    - ``trend``: the rate's rank correlation with time (Kendall) has p < ``p_value`` and the fitted
      change over the window is ``trend_limit`` of the median rate or more;
    - ``level``: the rates of the two halves differ (Mann-Whitney p < ``p_value``) by
      ``trend_limit`` of the median rate or more.

    :returns: dict with ``steady``, ``flags``, ``longest_stall_s``, ``median_gap_s``, ``samples``;
        ``steady`` None where the window holds fewer than 6 sample intervals (too short to say).
    """
    pairs = [(t, c) for t, c in zip(times, counts)
             if (start is None or t >= start - 1e-9) and (end is None or t <= end + 1e-9)]
    result = {"steady": None, "flags": [], "longest_stall_s": None, "median_gap_s": None, "samples": len(pairs)}
    if len(pairs) < 7:
        return result
    _need_libraries()
    t = numpy.array([p[0] for p in pairs], dtype=float)
    c = numpy.array([p[1] for p in pairs], dtype=float)
    spans = numpy.diff(t)
    grown = numpy.diff(c)
    rates = grown / numpy.where(spans > 0, spans, numpy.nan)
    median_rate = float(numpy.nanmedian(rates))
    longest = run = 0.0
    intervals = best = 0
    for span, packets in zip(spans, grown):
        if packets <= stall_share * median_rate * span:
            run += span
            intervals += 1
            if run > longest:
                longest, best = run, intervals
        else:
            run, intervals = 0.0, 0
    result["longest_stall_s"] = longest
    result["median_gap_s"] = (1.0 / median_rate) if median_rate > 0 else None
    flags = []
    if median_rate <= 0:
        flags.append("no traffic")
    else:
        if best >= 2 and longest >= stall_factor / median_rate:
            flags.append("stall %.2f s" % longest)
        middle = (t[1:] + t[:-1]) / 2.0
        tau = scipy_stats.kendalltau(middle, rates)
        if tau.pvalue < p_value:
            slope = numpy.polyfit(middle - middle[0], rates, 1)[0]
            change = slope * (middle[-1] - middle[0]) / median_rate
            if abs(change) >= trend_limit:
                flags.append("trend %+.0f%%" % (100 * change))
        half = len(rates) // 2
        first, second = rates[:half], rates[half:]
        level = (float(numpy.median(second)) - float(numpy.median(first))) / median_rate
        if abs(level) >= trend_limit and scipy_stats.mannwhitneyu(first, second).pvalue < p_value:
            flags.append("level %+.0f%%" % (100 * level))
    result.update(flags=flags, steady=not flags)
    return result
