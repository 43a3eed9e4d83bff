"""Loading the unit tree from fixtures/units-*.json (the shape of units.serialization)."""

from __future__ import annotations

import json
from pathlib import Path

from units.serialization import units_from_dict


def load_units(path: Path) -> int:
    """Create or update the units and reorganisations of the file; returns the number of units."""
    count, _reorganisations = units_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    return count
