"""Prometheus metrics of a hub process (served at /metrics)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

MESSAGES = Counter(
    "cmehub_messages_processed_total",
    "Messages taken off a service queue, by outcome.",
    ["service", "message_type", "outcome"],
)
HANDLING_SECONDS = Histogram(
    "cmehub_message_handling_seconds",
    "Time from delivery to commit (or failure) of one message.",
    ["service"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
