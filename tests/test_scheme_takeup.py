"""Persistent take-up: the fast interval test picks exactly the rows of the modular draw."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.schemes.takeup import draw, takes_up


@settings(max_examples=200, deadline=None)
@given(offset=st.floats(0.0, 0.999), take_up=st.floats(-0.1, 1.1), seed=st.integers(0, 2**32 - 1))
def test_takes_up_matches_the_modular_draw(offset, take_up, seed):
    p = np.random.default_rng(seed).random(2000).astype(np.float32)
    expected = draw(p, offset) < take_up
    got = takes_up(p, offset, take_up)
    # float32 propensities: allow disagreement only within rounding distance of an interval edge
    edges = np.abs(((p.astype(np.float64) + offset) % 1.0) - np.clip(take_up, 0, 1))
    assert np.all((got == expected) | (edges < 1e-6) | (np.abs((p + offset) % 1.0) < 1e-6))
    assert abs(got.mean() - np.clip(take_up, 0, 1)) < 0.06
