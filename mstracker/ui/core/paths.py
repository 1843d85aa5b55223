"""Where the app's resources (icon, stylesheet) and its own settings file are."""

from __future__ import annotations

from pathlib import Path

import platformdirs


def resources_dir() -> Path:
    """resources/ as installed (mstracker/resources, see pyproject) or in a source checkout. A plain path beside
    the package, not importlib.resources: that module alone costs a noticeable part of the start-up."""
    package = Path(__file__).resolve().parents[2]  # mstracker/
    installed = package / "resources"
    if installed.is_dir():
        return installed
    return package.parent / "resources"


def icon_path() -> Path:
    return resources_dir() / "icons" / "mstracker.svg"


def stylesheet_path(name: str) -> Path:
    return resources_dir() / "style" / f"{name}.qss"


def settings_file() -> Path:
    # An explicit file (not Qt's cached default path) so that every test and every XDG_CONFIG_HOME gets its own.
    return Path(platformdirs.user_config_dir("mstracker", appauthor=False)) / "mstracker-ui.ini"
