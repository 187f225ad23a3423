"""Thailand social protection microsimulation: `model.run(...)` returns the result Dataset."""

__version__ = "0.1.0"

from .api import run  # noqa: E402
from .validation import validate  # noqa: E402

__all__ = ["run", "validate", "__version__"]
