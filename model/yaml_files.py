"""Reading YAML safely and fast: the one loader every input file goes through."""

from typing import IO, Any

import yaml

# libyaml's parser when PyYAML was built with it (about five times faster on the parameter tree), else the pure
# Python one; both build plain Python values only (no tags that construct objects)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(source: str | IO[str]) -> Any:
    """The plain Python value of a YAML document (text or an open text file); yaml.YAMLError if it is invalid."""
    return yaml.load(source, Loader=SAFE_LOADER)
