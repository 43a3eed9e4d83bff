"""Extension points that other apps plug into; ``reporting`` never imports them.

The recognition app registers a counter in its AppConfig.ready(); the rollup asks every
registered counter for the number of entities recognised for a year.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

# counter(years) -> {(title_code, unit_id, year): number recognised for that year}
# title_code is an Indicator.title_code ("family", "clan", "community", "unit"); unit_id is the
# reporting unit (commune, town) the recognised household, clan, village or body belongs to.
# It takes every year at once so the dashboard asks once, however many years its trend spans;
# ``unit_ids`` (None: all) narrows it to a few units, for the approval of one unit's report.
RecognitionCounter = Callable[..., dict[tuple[str, int, int], int]]

_recognition_counters: list[RecognitionCounter] = []


def register_recognition_counter(counter: RecognitionCounter) -> RecognitionCounter:
    if counter not in _recognition_counters:
        _recognition_counters.append(counter)
    return counter


def recognised_counts_by_year(
    *, years: list[int], unit_ids: list[int] | None = None
) -> dict[tuple[str, int, int], int]:
    """{(title_code, unit_id, year): count} for these years (and units), from every registered counter."""
    total: Counter = Counter()
    for counter in _recognition_counters:
        total.update(counter(sorted(set(years)), unit_ids=unit_ids))
    return dict(total)


def recognised_counts(*, year: int) -> dict[tuple[str, int], int]:
    """{(title_code, unit_id): count} for one year."""
    return {(title, unit): count for (title, unit, _year), count in recognised_counts_by_year(years=[year]).items()}
