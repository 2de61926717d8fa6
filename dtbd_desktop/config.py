"""The local configuration of this PC (not in the database, since it says where the database is)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dtbd_desktop.paths import user_data_dir


def config_path() -> Path:
    return user_data_dir() / "config.json"


def load_config() -> dict[str, Any]:
    path = config_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_config(**values: Any) -> None:
    """Merge values into the configuration file (written atomically)."""
    data = load_config()
    data.update(values)
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
