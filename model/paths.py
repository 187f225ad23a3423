"""Where the project's shipped files live (relative to the repository, never to ../shared)."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent
DATA_DIR = ROOT_DIR / "data"
WPP_DIR = DATA_DIR / "wpp2024_tha"
SCENARIO_DIR = ROOT_DIR / "scenarios"
