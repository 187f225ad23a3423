"""The back-test: the model's base-year results against the administrative totals shipped in
data/administrative_totals.csv (`python -m model validate`, or `model.validate(...)` from Python)."""

from .backtest import calibrated_values, compare, format_backtest, format_calibrated, validate
from .totals import Total, load_totals

__all__ = ["Total", "calibrated_values", "compare", "format_calibrated", "format_backtest", "load_totals", "validate"]
