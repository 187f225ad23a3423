"""Fiscal side: macro paths, budget aggregation, SSF fund accounting, public debt and sustainability tests."""
