"""Result files: output paths checked before any work starts, and the one atomic writer of every result file.

A result is encoded in memory, written to a temporary name in the target's folder, flushed to disk (fsync),
given the permissions a new file gets under the process's umask (0644 under the usual 022, where a bare
temporary file would stay 0600) and renamed over the target, so that a reader never sees half a file and an
interrupted write (an error, Ctrl-C) leaves nothing behind.
"""

import os
import tempfile
from pathlib import Path

import xarray as xr

from .errors import ModelInputError

FILE_MODE = 0o666  # what open() asks for a new file; the umask takes bits away


def current_umask() -> int:
    """The process's file-mode creation mask (read from /proc on Linux, which leaves it untouched for threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)  # elsewhere: read by setting it, and set it back at once
    os.umask(mask)
    return mask


def _shown(path: Path) -> str:
    return repr(str(path))


def _probe(folder: Path, option: str) -> None:
    """Create and remove a file in `folder`: the only sure test that results can be written there (as root,
    os.access says yes to folders such as /proc where nothing can be created)."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".write-test.", dir=folder)
    except OSError as error:
        raise ModelInputError(f"{option}: cannot write in folder {_shown(folder)} ({error.strerror})") from None
    os.close(fd)
    os.unlink(probe)


def check_output_file(path: Path, option: str = "--out") -> None:
    """Refuse, before any work is done, a result file that could not be written: its folder is missing or not
    writable, or the target is a folder or some other non-file (a device, a pipe)."""
    if path.is_dir():
        raise ModelInputError(f"{option}: {_shown(path)} is a folder; give a file name such as "
                              f"{_shown(path / 'result.nc')}")
    if path.exists() and not path.is_file():
        raise ModelInputError(f"{option}: {_shown(path)} exists and is not a regular file")
    parent = path.parent
    if not parent.is_dir():
        raise ModelInputError(f"{option}: folder {_shown(parent)} does not exist")
    _probe(parent, option)


def check_output_folder(path: Path, option: str = "--out") -> None:
    """Refuse, before any work is done, an output folder that is a file, whose parent is missing, or in which
    (or, if it does not exist yet, in whose parent) nothing can be written."""
    if path.exists() and not path.is_dir():
        raise ModelInputError(f"{option}: {_shown(path)} is a file, not a folder")
    if not path.parent.is_dir():
        raise ModelInputError(f"{option}: folder {_shown(path.parent)} does not exist")
    _probe(path if path.is_dir() else path.parent, option)


def encode_netcdf(ds: xr.Dataset, compact: bool = False) -> bytes:
    """The NetCDF bytes of a Dataset: NetCDF-4 (h5netcdf); with `compact`, NetCDF3 64-bit offset when it can hold
    the result (about twenty times faster to write and read for a result of some fifty small variables; an
    integer attribute beyond 32 bits needs NetCDF-4)."""
    # In memory, with dask's synchronous scheduler: under a default dask.distributed client xarray would take a
    # distributed lock named after the in-memory target, which a scheduler in another process cannot resolve.
    import dask  # here, not at import: writing a result is the only use, and dask is slow to import

    with dask.config.set(scheduler="synchronous"):
        if compact:
            try:
                return bytes(ds.to_netcdf(engine="scipy", format="NETCDF3_64BIT"))
            except (ValueError, TypeError, OverflowError):
                pass
        return bytes(ds.to_netcdf(engine="h5netcdf"))


def write_bytes(data: bytes, path: Path) -> None:
    """Write `data` to `path` atomically with the umask's permissions; nothing is left behind if it fails."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
            os.fchmod(f.fileno(), FILE_MODE & ~current_umask())
        os.replace(tmp, path)
    except BaseException:  # also KeyboardInterrupt: no partial file
        Path(tmp).unlink(missing_ok=True)
        raise


def write_netcdf(ds: xr.Dataset, path: Path, compact: bool = False) -> None:
    """Write a result Dataset to `path` atomically (see `encode_netcdf` for `compact`)."""
    write_bytes(encode_netcdf(ds, compact), Path(path))
