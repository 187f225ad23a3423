"""Validation of the base year: the model's results against the administrative totals shipped in
data/administrative_totals.csv (`python -m model validate`, or `model.validate(...)` from Python), and the base
population against the people layer's calibration targets (`python -m model calibrate`, `calibration_table`)."""

from .base_population import calibration_table
from .backtest import calibrated_values, compare, format_backtest, format_calibrated, validate
from .totals import Total, load_totals

__all__ = ["Total", "calibrated_values", "calibration_table", "compare", "format_backtest", "format_calibrated",
           "load_totals", "validate"]
