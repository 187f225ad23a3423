"""The back-test: the model's base-year results against the administrative totals shipped in
data/administrative_totals.csv (`python -m model validate`, or `model.validate(...)` from Python)."""

from .backtest import compare, format_backtest, validate
from .totals import Total, load_totals

__all__ = ["Total", "compare", "format_backtest", "load_totals", "validate"]
