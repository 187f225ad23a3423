"""Shared fixtures: whole runs are expensive, so each is computed once per test process."""

import pytest

import model
from model.population.rates import load_inputs


def pytest_configure(config: pytest.Config) -> None:
    """Compile the model's kernels once, before any parallel workers start, so that they read numba's on-disk cache
    instead of each compiling the same kernels (about 20 s of CPU on a fresh checkout)."""
    if not hasattr(config, "workerinput"):  # the controlling process, or a run without workers
        model.run("baseline", scale=1000, end_year=2024)


@pytest.fixture(scope="session")
def inputs():
    """WPP single-age inputs for every year the data covers."""
    return load_inputs()


@pytest.fixture(scope="session")
def baseline_1000():
    """Baseline 2023-2037 at 1,000 persons per row."""
    return model.run("baseline", scale=1000)


@pytest.fixture
def media(monkeypatch):
    """The media file managers of the app's test runs (AppTest makes one a run and drops it), to fetch downloads
    (tests/app_downloads.py)."""
    import streamlit.testing.v1.app_test as app_test_module
    from streamlit.runtime.media_file_manager import MediaFileManager

    managers: list[MediaFileManager] = []

    class Kept(MediaFileManager):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Kept)
    return managers
