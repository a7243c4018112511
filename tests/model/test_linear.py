"""The labelled builder: expressions broadcast like scalars and land in the right cells."""

from __future__ import annotations

import numpy as np
import pytest

from greenscen.model.linear import LinearModel


def test_rows_broadcast_a_capacity_and_sum_with_weights():
    m = LinearModel()
    x = m.add_variables("x", 3, cost=[1, 2, 3])
    k = m.add_variables("k", 1, ub=10)
    # x_t - 2·k <= 0 for t = 0..2, and Σ w_t x_t == 4 with w = (1, 2, 3)
    m.add_constraints("x_le_2k", x - k * 2.0, "<=", 0.0)
    m.add_constraints("total", x.sum([1.0, 2.0, 3.0]), "==", 4.0)
    # k·cf_t >= load_t: a capacity times a profile gives one row per step
    m.add_constraints("cover", k * np.array([0.5, 1.0, 0.0]), ">=", [1.0, 2.0, 0.0])
    lp = m.to_lp()
    dense = lp.A.toarray()
    np.testing.assert_array_equal(dense, [
        [1, 0, 0, -2], [0, 1, 0, -2], [0, 0, 1, -2],
        [1, 2, 3, 0],
        [0, 0, 0, 0.5], [0, 0, 0, 1.0], [0, 0, 0, 0.0],
    ])  # fmt: skip
    np.testing.assert_array_equal(lp.row_ub[:4], [0, 0, 0, 4])
    np.testing.assert_array_equal(lp.row_lb[3:], [4, 1, 2, 0])
    assert lp.cols == {"x": slice(0, 3), "k": slice(3, 4)}
    assert lp.rows == {"x_le_2k": slice(0, 3), "total": slice(3, 4), "cover": slice(4, 7)}
    np.testing.assert_array_equal(lp.c, [1, 2, 3, 0])
    assert lp.col_ub[3] == 10 and lp.col_ub[0] == np.inf


def test_elastic_rows_get_a_slack_of_the_right_sign():
    m = LinearModel(elastic=True)
    x = m.add_variables("x", 2)
    m.add_constraints("floor", x.expr(), ">=", 1.0, slack=5.0)  # x + s >= 1
    m.add_constraints("cap", x.expr(), "<=", 0.5, slack=7.0)  # x - s <= 0.5
    lp = m.to_lp()
    assert lp.cols["slack:floor"] == slice(2, 4) and lp.cols["slack:cap"] == slice(4, 6)
    dense = lp.A.toarray()
    np.testing.assert_array_equal(dense[0], [1, 0, 1, 0, 0, 0])
    np.testing.assert_array_equal(dense[2], [1, 0, 0, 0, -1, 0])
    np.testing.assert_array_equal(lp.c, [0, 0, 5, 5, 7, 7])


def test_mismatched_lengths_are_refused_not_truncated():
    m = LinearModel()
    x = m.add_variables("x", 3)
    with pytest.raises(ValueError):
        x * np.arange(5.0)
    with pytest.raises(ValueError):
        (x - x) * np.arange(5.0)
    with pytest.raises(ValueError):
        m.add_constraints("bad", x - m.add_variables("y", 2), "<=", 0.0)
    assert (x * np.array([2.0])).nrow == 3  # one coefficient scales every row
