"""Extension points that other apps plug into; ``reporting`` never imports them.

The recognition app registers a counter in its AppConfig.ready(); the rollup asks every
registered counter for the number of entities recognised for a year.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

# counter(year) -> {(title_code, unit_id): number recognised for that year}
# title_code is an Indicator.title_code ("family", "clan", "community", "unit"); unit_id is the
# reporting unit (commune, town) the recognised household, clan, village or body belongs to.
RecognitionCounter = Callable[[int], dict[tuple[str, int], int]]

_recognition_counters: list[RecognitionCounter] = []


def register_recognition_counter(counter: RecognitionCounter) -> RecognitionCounter:
    if counter not in _recognition_counters:
        _recognition_counters.append(counter)
    return counter


def recognised_counts(*, year: int) -> dict[tuple[str, int], int]:
    total: Counter = Counter()
    for counter in _recognition_counters:
        total.update(counter(year))
    return dict(total)
