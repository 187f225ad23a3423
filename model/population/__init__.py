"""The agent population: base-year synthesis, demography, labour status and wages."""
