"""Persistent take-up: the propensity's code, and the compiled interval test picking exactly the rows of the
modular draw."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.population import propensity
from model.population.persons import Persons
from model.schemes import kernels
from model.schemes.takeup import draw, interval, takes_up

EVERY_CODE = np.arange(propensity.CODES, dtype=np.uint16)


@settings(max_examples=200, deadline=None)
@given(offset=st.floats(0.0, 0.999), take_up=st.floats(-0.1, 1.1))
def test_interval_picks_exactly_the_codes_of_the_modular_draw(offset, take_up):
    expected = draw(EVERY_CODE, offset) < take_up
    assert np.array_equal(takes_up(EVERY_CODE, offset, take_up), expected)
    assert np.array_equal(kernels.takes_up(EVERY_CODE, *interval(offset, take_up)), expected)
    # the codes stand for propensities evenly spread over (0, 1): the share taking up is the rate, to a code
    assert abs(expected.mean() - np.clip(take_up, 0.0, 1.0)) <= 1.0 / propensity.CODES


@settings(max_examples=100, deadline=None)
@given(p=st.lists(st.floats(0.0, 1.0, exclude_max=True), min_size=1, max_size=50))
def test_a_code_stands_for_its_propensity_to_half_a_code(p):
    p = np.array(p)
    codes = propensity.encode(p)
    assert codes.dtype == np.uint16 and (codes < propensity.UNSET).all()
    assert np.all(np.abs(propensity.values(codes) - p) <= 0.5 / propensity.CODES + 1e-12)


def test_rows_without_a_propensity_are_unset_and_fractions_given_are_coded():
    persons = Persons({"propensity": np.array([0.25, np.nan, 0.999999])}, 1.0)
    assert persons.propensity.tolist() == [16383, propensity.UNSET, propensity.CODES - 1]
    persons.append({}, 1)  # a new row has none
    assert persons.propensity[-1] == propensity.UNSET
    persons.set("propensity", np.array([0.0, 0.5, 0.75, 0.1]))
    assert persons.propensity.tolist() == [0, 32767, 49151, 6553]


def test_drawn_propensities_are_the_stream_s_float32_uniforms_coded():
    drawn = propensity.draw(np.random.default_rng(3), 2 * propensity.BLOCK + 5)  # by blocks
    once = propensity.encode(np.random.default_rng(3).random(2 * propensity.BLOCK + 5, dtype=np.float32))
    assert np.array_equal(drawn, once)
