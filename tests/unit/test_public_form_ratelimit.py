"""The public form's per-client token bucket, on a clock the tests move."""

from __future__ import annotations

import pytest

from services.intake.ratelimit import Rate, TokenBucket, client_key


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def bucket(rate: str = "3/60", max_clients: int = 100) -> tuple[TokenBucket, Clock]:
    clock = Clock()
    return TokenBucket(Rate.parse(rate), clock=clock, max_clients=max_clients), clock


def test_a_client_may_send_its_whole_allowance_at_once_and_no_more() -> None:
    limiter, _ = bucket("3/60")

    assert [limiter.take("a").allowed for _ in range(4)] == [True, True, True, False]


def test_a_refused_client_is_told_when_it_may_send_again() -> None:
    limiter, _ = bucket("3/60")
    for _ in range(3):
        limiter.take("a")

    assert limiter.take("a").retry_after == pytest.approx(20.0)


def test_one_report_comes_back_each_period_divided_by_the_allowance() -> None:
    limiter, clock = bucket("3/60")
    for _ in range(3):
        limiter.take("a")

    clock.now += 19.9
    assert not limiter.take("a").allowed
    clock.now += 0.1
    assert limiter.take("a").allowed
    assert not limiter.take("a").allowed


def test_a_quiet_client_never_saves_up_more_than_the_allowance() -> None:
    limiter, clock = bucket("3/60")
    limiter.take("a")
    clock.now += 3600

    assert [limiter.take("a").allowed for _ in range(4)] == [True, True, True, False]


def test_clients_are_limited_separately() -> None:
    limiter, _ = bucket("1/60")

    assert limiter.take("a").allowed
    assert limiter.take("b").allowed
    assert not limiter.take("a").allowed


def test_a_clock_going_backwards_gives_nothing_back() -> None:
    limiter, clock = bucket("1/60")
    limiter.take("a")
    clock.now -= 600

    assert not limiter.take("a").allowed


def test_memory_is_bounded_by_forgetting_the_client_seen_longest_ago() -> None:
    limiter, _ = bucket("1/60", max_clients=2)
    limiter.take("a")
    limiter.take("b")
    limiter.take("a")  # a is seen again: b is now the oldest
    limiter.take("c")

    assert limiter.take("b").allowed  # forgotten, so starts full
    assert not limiter.take("c").allowed


@pytest.mark.parametrize(("text", "rate"), [("10/600", Rate(10, 600)), (" 1 / 1 ", Rate(1, 1))])
def test_a_rate_is_reports_per_seconds(text: str, rate: Rate) -> None:
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["", "10", "10/", "/600", "0/600", "10/0", "ten/600", "1.5/60"])
def test_a_malformed_rate_names_the_setting_and_the_format(text: str) -> None:
    with pytest.raises(ValueError, match=r"CMEHUB_PUBLIC_FORM_RATE: .* like 10/600"):
        Rate.parse(text)


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("testclient", "testclient"),
        (None, "unknown"),
    ],
)
def test_a_client_is_its_ipv4_address_or_its_ipv6_64(host: str | None, key: str) -> None:
    assert client_key(host) == key
