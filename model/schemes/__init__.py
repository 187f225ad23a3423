"""Benefit and contribution schemes: one module per scheme, each reading dated parameters from parameters/."""
