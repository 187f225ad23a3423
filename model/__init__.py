"""Thailand social protection microsimulation: `model.run(...)` returns the result Dataset and
`model.compare(base, reform)` two of them side by side."""

from .allocator import one_arena

one_arena()  # before numpy is imported (model.allocator)

from .version import __version__  # noqa: E402
from .api import run  # noqa: E402
from .compare import compare  # noqa: E402  (the name `model.compare` is the function; its module stays importable)
from .validation import validate  # noqa: E402

__all__ = ["compare", "run", "validate", "__version__"]
