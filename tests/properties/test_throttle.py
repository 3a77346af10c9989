"""Properties of the guess counter (:mod:`dhakira.core.throttle`), whatever the clock reads.

A throttle once refused every attempt in the first ``period`` seconds after the machine
started (``time.monotonic`` is then below the period): the empty places of a key's slot,
0.0, counted as recent attempts. An office server started at boot let nobody log in for 15
minutes, nor unlock its vault for one.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dhakira.core.throttle import Throttle, Throttled

# From just after start-up to a machine up for years; periods of the app's throttles and more.
starts = st.floats(min_value=0.001, max_value=1e9, allow_nan=False, allow_infinity=False)
periods = st.sampled_from([60.0, 900.0, 86_400.0])


@settings(max_examples=60, deadline=None)
@given(start=starts, period=periods, attempts=st.integers(min_value=1, max_value=6))
def test_a_key_gets_exactly_its_attempts_in_a_period(start: float, period: float,
                                                     attempts: int) -> None:
    now = [start]
    throttle = Throttle(attempts=attempts, period=period, clock=lambda: now[0], slots=8)
    for _ in range(attempts):
        throttle.reserve("user:someone")
        now[0] += period / (10 * attempts)
    with pytest.raises(Throttled):
        throttle.reserve("user:someone")
    throttle.reserve("user:someone-else")  # another key is not held back
    now[0] += period  # every attempt has aged out
    throttle.reserve("user:someone")


def test_the_first_login_after_the_machine_starts_is_not_refused() -> None:
    now = [3.0]  # seconds since boot, as time.monotonic reads then
    throttle = Throttle(attempts=5, period=900, clock=lambda: now[0], slots=8)
    throttle.release(throttle.reserve("user:amal", "client:127.0.0.1"))
