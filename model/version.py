"""The model's version: the package version and a hash of its code and data, so that results record exactly
which model made them."""

import hashlib

from .paths import DATA_DIR, PACKAGE_DIR, ROOT_DIR

__version__ = "0.1.0"

_version: str | None = None


def code_files() -> list[str]:
    """The files whose contents make the model version: model/**/*.py, model/**/*.yaml and data/**, relative to
    the repository, sorted."""
    files = [*PACKAGE_DIR.rglob("*.py"), *PACKAGE_DIR.rglob("*.yaml"), *(p for p in DATA_DIR.rglob("*") if p.is_file())]
    return sorted(p.relative_to(ROOT_DIR).as_posix() for p in files if "__pycache__" not in p.parts)


def model_version() -> str:
    """``VERSION+HASH``: the package version and 12 hex characters of the sha256 of its code and data files
    (names and contents); computed once per process (about 10 ms)."""
    global _version
    if _version is None:
        digest = hashlib.sha256()
        for name in code_files():
            content = (ROOT_DIR / name).read_bytes()
            digest.update(f"{name}\0{len(content)}\0".encode())
            digest.update(content)
        _version = f"{__version__}+{digest.hexdigest()[:12]}"
    return _version
