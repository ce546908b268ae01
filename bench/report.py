"""Summarising benchmark runs: medians, spreads, latency percentiles, the table and the JSON."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PERCENTILES = (50, 95, 99)


@dataclass(frozen=True)
class RunResult:
    """One measured run of one side of one scenario."""

    seconds: float
    messages: int
    cpu_seconds: float
    """CPU time of the whole benchmark process (user + system) while the run was timed."""
    latencies_s: Sequence[float] = ()

    @property
    def rate(self) -> float:
        return self.messages / self.seconds

    @property
    def cpu_us_per_message(self) -> float:
        return self.cpu_seconds / self.messages * 1e6

    def latency_ms(self, percent: int) -> float:
        return percentile(self.latencies_s, percent) * 1000.0


def percentile(values: Sequence[float], percent: int) -> float:
    """Linear interpolation between the closest ranks (numpy's default method)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * percent / 100.0
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


@dataclass(frozen=True)
class SideSummary:
    """The repeated runs of one side: medians across runs, and the spread of the rate."""

    runs: Sequence[RunResult]

    @property
    def rate(self) -> float:
        return statistics.median(run.rate for run in self.runs)

    @property
    def rate_min(self) -> float:
        return min(run.rate for run in self.runs)

    @property
    def rate_max(self) -> float:
        return max(run.rate for run in self.runs)

    @property
    def spread_percent(self) -> float:
        return (self.rate_max - self.rate_min) / self.rate * 100.0

    @property
    def cpu_us_per_message(self) -> float:
        return statistics.median(run.cpu_us_per_message for run in self.runs)

    def latency_ms(self, percent: int) -> float:
        """The median across runs of each run's percentile."""
        return statistics.median(run.latency_ms(percent) for run in self.runs)

    def as_json(self, with_latency: bool) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rate_median": self.rate,
            "rate_min": self.rate_min,
            "rate_max": self.rate_max,
            "client_cpu_us_per_message_median": self.cpu_us_per_message,
            "runs": [
                {"seconds": r.seconds, "messages": r.messages, "cpu_seconds": r.cpu_seconds}
                for r in self.runs
            ],
        }
        if with_latency:
            data["latency_ms_median"] = {f"p{p}": self.latency_ms(p) for p in PERCENTILES}
            for run, entry in zip(self.runs, data["runs"], strict=True):
                entry["latency_ms"] = {f"p{p}": run.latency_ms(p) for p in PERCENTILES}
        return data


@dataclass(frozen=True)
class Comparison:
    """One scenario measured on both sides."""

    name: str
    title: str
    ours: SideSummary
    plain: SideSummary
    with_latency: bool

    @property
    def rate_ratio(self) -> float:
        return self.ours.rate / self.plain.rate

    @property
    def cpu_ratio(self) -> float:
        return self.ours.cpu_us_per_message / self.plain.cpu_us_per_message

    def latency_ratio(self, percent: int) -> float:
        return self.ours.latency_ms(percent) / self.plain.latency_ms(percent)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title,
            "ours": self.ours.as_json(self.with_latency),
            "plain": self.plain.as_json(self.with_latency),
            "ratio_ours_plain": {"rate": self.rate_ratio, "client_cpu": self.cpu_ratio},
        }
        if self.with_latency:
            data["ratio_ours_plain"].update({f"p{p}": self.latency_ratio(p) for p in PERCENTILES})
        return data


HEADER = (
    f"{'scenario':<34} {'side':<10} {'msg/s':>8} {'min-max':>13} {'spread':>7}"
    f" {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'CPU us/msg':>10}"
)


def render_table(comparisons: Sequence[Comparison]) -> str:
    lines = [HEADER, "-" * len(HEADER)]
    for comparison in comparisons:
        lines.extend(_rows(comparison))
        lines.append("")
    lines.append(
        "ours/plain: msg/s above 1 = ours faster; latency and CPU above 1 = ours slower/costlier."
    )
    return "\n".join(lines)


def _rows(comparison: Comparison) -> list[str]:
    rows = []
    for index, (side, summary) in enumerate(
        (("ours", comparison.ours), ("plain", comparison.plain))
    ):
        title = comparison.title if index == 0 else ""
        span = f"{summary.rate_min:,.0f}-{summary.rate_max:,.0f}"
        rows.append(
            f"{title:<34} {side:<10} {summary.rate:>8,.0f} {span:>13}"
            f" {summary.spread_percent:>6.1f}%{_latencies(comparison, summary)}"
            f" {summary.cpu_us_per_message:>10,.0f}"
        )
    if comparison.with_latency:
        ratios = "".join(f" {comparison.latency_ratio(p):>8.2f}" for p in PERCENTILES)
    else:
        ratios = "".join(f" {'-':>8}" for _ in PERCENTILES)
    rows.append(
        f"{'':<34} {'ours/plain':<10} {comparison.rate_ratio:>8.2f}{'':>21}{ratios}"
        f" {comparison.cpu_ratio:>10.2f}"
    )
    return rows


def _latencies(comparison: Comparison, summary: SideSummary) -> str:
    if not comparison.with_latency:
        return "".join(f" {'-':>8}" for _ in PERCENTILES)
    return "".join(f" {summary.latency_ms(p):>8.2f}" for p in PERCENTILES)


def render_environment(environment: Mapping[str, Any]) -> str:
    width = max(len(key) for key in environment)
    return "\n".join(f"{key:<{width}}  {value}" for key, value in environment.items())
