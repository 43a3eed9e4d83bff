"""Titles and criteria sets as JSON: the same shape is exported, imported and shipped in fixtures/.

{"format": 1,
 "titles": [{"code": "citizen", "name": "Công dân học tập", "nominee_kind": "person",
             "nominated_by": "...", "recognised_by": "...", "recognised_by_verified": false,
             "issuer": "Ủy ban nhân dân {commune}", "signer_title": "Chủ tịch", "years_in_force": 1,
             "indicator_code": "", "legal_basis": "...", "note": "...", "active": true, "order": 5}],
 "criteria_sets": [{"code": "...", "title": "citizen", "name": "...", "legal_basis": "...",
                    "valid_from": "2023-10-25", "valid_to": null, "scoring": "points",
                    "max_total": "100", "pass_mark": "80", "min_per_criterion_share": null,
                    "min_item_points": "5", "pass_rule_verified": true, "note": "...",
                    "levels": [{"number": 1, "name": "Mức độ 1", "label": "", "verified": false, "note": ""}],
                    "criteria": [{"number": "1", "name": "...", "max_points": null, "min_points": null,
                                  "verified": false, "note": "...",
                                  "items": [{"number": "1", "text": "...", "max_points": null,
                                             "min_points": null, "level": null, "verified": false,
                                             "note": ""}]}]}]}

Points are strings ("7.5") or null where the source does not give them: never guessed. A file is
checked entry by entry; the first fault is reported naming the entry and the field, and nothing
is changed (one transaction). A set already used by a score sheet keeps its criteria and items
(the score sheets point to them); only its header fields and levels are updated.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from recognition.models import (
    CriteriaLevel,
    CriteriaSet,
    Criterion,
    CriterionItem,
    NomineeKind,
    Scoring,
    Title,
)

FORMAT_VERSION = 1
TITLE_FIELDS = (
    "code",
    "name",
    "nominee_kind",
    "nominated_by",
    "recognised_by",
    "recognised_by_verified",
    "issuer",
    "signer_title",
    "years_in_force",
    "indicator_code",
    "legal_basis",
    "note",
    "active",
    "order",
)


class CriteriaFormatError(Exception):
    """The file is not a valid set of titles and criteria; the message is safe to show."""


# ---- export -------------------------------------------------------------------------------


def _dec(value: Decimal | None) -> str | None:
    """ "7.5", "30": no exponent, no trailing zeros; None stays None (not known)."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def criteria_to_dict(titles=None) -> dict[str, Any]:
    """Every title (or these) with its criteria sets, in the shape ``criteria_from_dict`` reads."""
    titles = list(titles if titles is not None else Title.objects.all())
    sets = (
        CriteriaSet.objects.filter(title__in=titles)
        .prefetch_related("levels", "criteria__items")
        .order_by("title__order", "title__code", "valid_from", "code")
    )
    return {
        "format": FORMAT_VERSION,
        "titles": [{field: getattr(t, field) for field in TITLE_FIELDS} for t in titles],
        "criteria_sets": [
            {
                "code": s.code,
                "title": s.title_id,
                "name": s.name,
                "legal_basis": s.legal_basis,
                "valid_from": s.valid_from.isoformat(),
                "valid_to": s.valid_to.isoformat() if s.valid_to else None,
                "scoring": s.scoring,
                "max_total": _dec(s.max_total),
                "pass_mark": _dec(s.pass_mark),
                "min_per_criterion_share": _dec(s.min_per_criterion_share),
                "min_item_points": _dec(s.min_item_points),
                "pass_rule_verified": s.pass_rule_verified,
                "note": s.note,
                "levels": [
                    {"number": lv.number, "name": lv.name, "label": lv.label, "verified": lv.verified, "note": lv.note}
                    for lv in s.levels.all()
                ],
                "criteria": [
                    {
                        "number": c.number,
                        "name": c.name,
                        "max_points": _dec(c.max_points),
                        "min_points": _dec(c.min_points),
                        "verified": c.verified,
                        "note": c.note,
                        "items": [
                            {
                                "number": i.number,
                                "text": i.text,
                                "max_points": _dec(i.max_points),
                                "min_points": _dec(i.min_points),
                                "level": i.level,
                                "verified": i.verified,
                                "note": i.note,
                            }
                            for i in c.items.all()
                        ],
                    }
                    for c in s.criteria.all()
                ],
            }
            for s in sets
        ],
    }


# ---- import -------------------------------------------------------------------------------


def _fail(where: str, field: str, message: str):
    raise CriteriaFormatError(
        _("%(where)s, trường “%(field)s”: %(message)s") % {"where": where, "field": field, "message": message}
    )


def _text(row: dict, key: str, where: str, *, required: bool = False, max_length: int | None = None) -> str:
    value = row.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        _fail(where, key, _("cần một chuỗi chữ."))
    value = value.strip()
    if required and not value:
        _fail(where, key, _("bắt buộc, đang để trống."))
    if max_length and len(value) > max_length:
        _fail(where, key, _("dài quá %(max)s ký tự.") % {"max": max_length})
    return value


def _bool(row: dict, key: str, where: str, default: bool = False) -> bool:
    value = row.get(key, default)
    if not isinstance(value, bool):
        _fail(where, key, _("cần true hoặc false."))
    return value


def _int(row: dict, key: str, where: str, *, default=None, low: int = 0, high: int = 32767, null: bool = False):
    value = row.get(key, default)
    if value is None and null:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        _fail(where, key, _("cần một số nguyên từ %(low)s đến %(high)s.") % {"low": low, "high": high})
    return value


def _points(row: dict, key: str, where: str) -> Decimal | None:
    """A non-negative number (string or number) with at most 2 decimals, or null: not known."""
    value = row.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        _fail(where, key, _('cần một số không âm (ví dụ "7.5") hoặc null nếu chưa rõ.'))
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        number = None
    if (
        number is None
        or not number.is_finite()
        or number < 0
        or number >= 10000
        or number != number.quantize(Decimal("0.01"))
    ):
        _fail(where, key, _('cần một số không âm (ví dụ "7.5") hoặc null nếu chưa rõ.'))
    return number


def _date(row: dict, key: str, where: str, *, required: bool) -> dt.date | None:
    value = row.get(key)
    if value in (None, "") and not required:
        return None
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else _fail(where, key, "")
    except (ValueError, CriteriaFormatError):
        _fail(where, key, _("cần một ngày dạng YYYY-MM-DD, ví dụ 2024-02-12."))


def _list(row: dict, key: str, where: str, *, required: bool = False) -> list:
    value = row.get(key, None if required else [])
    if not isinstance(value, list):
        _fail(where, key, _("cần một danh sách."))
    return value


def _entry(row, where: str) -> dict:
    if not isinstance(row, dict):
        raise CriteriaFormatError(_("%(where)s: cần một đối tượng JSON.") % {"where": where})
    return row


def _full_clean(instance, where: str, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        _fail(where, field, " ".join(messages))


def _title(row: dict, number: int, *, keep_existing: bool = False) -> Title:
    where = f"titles[{number}]"
    row = _entry(row, where)
    code = _text(row, "code", where, required=True, max_length=30)
    where = f"titles[{number}] (mã “{code}”)"
    kind = _text(row, "nominee_kind", where, required=True)
    if kind not in NomineeKind.values:
        _fail(where, "nominee_kind", _("cần một trong: %(values)s.") % {"values": ", ".join(NomineeKind.values)})
    title = Title.objects.filter(code=code).first() or Title(code=code)
    title.name = _text(row, "name", where, required=True, max_length=200)
    title.nominee_kind = kind
    title.nominated_by = _text(row, "nominated_by", where, max_length=300)
    title.recognised_by = _text(row, "recognised_by", where, required=True, max_length=300)
    title.recognised_by_verified = _bool(row, "recognised_by_verified", where)
    title.issuer = _text(row, "issuer", where, max_length=200)
    title.signer_title = _text(row, "signer_title", where, max_length=100)
    title.years_in_force = _int(row, "years_in_force", where, default=1, low=1, high=10)
    title.indicator_code = _text(row, "indicator_code", where, max_length=30)
    title.legal_basis = _text(row, "legal_basis", where, max_length=300)
    title.note = _text(row, "note", where)
    title.active = _bool(row, "active", where, default=True)
    title.order = _int(row, "order", where, default=0)
    _full_clean(title, where)
    if keep_existing and title.pk:
        return Title.objects.get(pk=title.pk)  # checked, but what the administrator set stays
    title.save()
    return title


def _criteria_set(row: dict, number: int, titles: dict[str, Title]) -> CriteriaSet:
    where = f"criteria_sets[{number}]"
    row = _entry(row, where)
    code = _text(row, "code", where, required=True, max_length=50)
    where = f"criteria_sets[{number}] (mã “{code}”)"
    title_code = _text(row, "title", where, required=True)
    title = titles.get(title_code) or Title.objects.filter(code=title_code).first()
    if title is None:
        _fail(where, "title", _("không có danh hiệu mã “%(code)s” (trong tệp hoặc đã nạp).") % {"code": title_code})
    scoring = row.get("scoring", Scoring.POINTS)
    if scoring not in Scoring.values:
        _fail(where, "scoring", _("cần một trong: %(values)s.") % {"values": ", ".join(Scoring.values)})
    criteria_set = CriteriaSet.objects.filter(code=code).first() or CriteriaSet(code=code)
    criteria_set.title = title
    criteria_set.name = _text(row, "name", where, required=True, max_length=300)
    criteria_set.legal_basis = _text(row, "legal_basis", where, max_length=300)
    criteria_set.valid_from = _date(row, "valid_from", where, required=True)
    criteria_set.valid_to = _date(row, "valid_to", where, required=False)
    criteria_set.scoring = scoring
    criteria_set.max_total = _points(row, "max_total", where)
    criteria_set.pass_mark = _points(row, "pass_mark", where)
    criteria_set.min_per_criterion_share = _points(row, "min_per_criterion_share", where)
    criteria_set.min_item_points = _points(row, "min_item_points", where)
    criteria_set.pass_rule_verified = _bool(row, "pass_rule_verified", where)
    criteria_set.note = _text(row, "note", where)
    _full_clean(criteria_set, where)

    levels = []
    for n, level in enumerate(_list(row, "levels", where)):
        level_where = f"{where}, levels[{n}]"
        level = _entry(level, level_where)
        levels.append(
            CriteriaLevel(
                number=_int(level, "number", level_where, low=1, high=9),
                name=_text(level, "name", level_where, required=True, max_length=100),
                label=_text(level, "label", level_where, max_length=50),
                verified=_bool(level, "verified", level_where),
                note=_text(level, "note", level_where),
            )
        )
    numbers = [lv.number for lv in levels]
    if len(set(numbers)) != len(numbers):
        _fail(where, "levels", _("số mức độ bị lặp."))

    criteria = []
    for c_number, c_row in enumerate(_list(row, "criteria", where, required=True)):
        c_where = f"{where}, criteria[{c_number}]"
        c_row = _entry(c_row, c_where)
        criterion = Criterion(
            number=_text(c_row, "number", c_where, required=True, max_length=10),
            name=_text(c_row, "name", c_where, required=True, max_length=400),
            max_points=_points(c_row, "max_points", c_where),
            min_points=_points(c_row, "min_points", c_where),
            verified=_bool(c_row, "verified", c_where),
            note=_text(c_row, "note", c_where),
            order=c_number,
        )
        c_where = f"{c_where} (tiêu chí {criterion.number})"
        items = []
        for i_number, i_row in enumerate(_list(c_row, "items", c_where)):
            i_where = f"{c_where}, items[{i_number}]"
            i_row = _entry(i_row, i_where)
            item = CriterionItem(
                number=_text(i_row, "number", i_where, required=True, max_length=10),
                text=_text(i_row, "text", i_where, required=True),
                max_points=_points(i_row, "max_points", i_where),
                min_points=_points(i_row, "min_points", i_where),
                level=_int(i_row, "level", i_where, null=True, low=1, high=9),
                verified=_bool(i_row, "verified", i_where),
                note=_text(i_row, "note", i_where),
                order=i_number,
            )
            if item.level is not None and item.level not in numbers:
                _fail(i_where, "level", _("không có mức độ %(level)s trong “levels”.") % {"level": item.level})
            if item.max_points is not None and item.min_points is not None and item.min_points > item.max_points:
                _fail(i_where, "min_points", _("điểm sàn lớn hơn điểm tối đa."))
            items.append(item)
        item_points = [i.max_points for i in items]
        if (
            criterion.max_points is not None
            and items
            and None not in item_points
            and sum(item_points, Decimal(0)) != criterion.max_points
        ):
            _fail(
                c_where,
                "max_points",
                _("bằng %(max)s nhưng các nội dung cộng lại %(sum)s.")
                % {"max": _dec(criterion.max_points), "sum": _dec(sum(item_points, Decimal(0)))},
            )
        criteria.append((criterion, items))
    criterion_points = [c.max_points for c, _items in criteria]
    if (
        scoring == Scoring.POINTS
        and criteria_set.max_total is not None
        and None not in criterion_points
        and sum(criterion_points, Decimal(0)) != criteria_set.max_total
    ):
        _fail(
            where,
            "max_total",
            _("bằng %(max)s nhưng các tiêu chí cộng lại %(sum)s.")
            % {"max": _dec(criteria_set.max_total), "sum": _dec(sum(criterion_points, Decimal(0)))},
        )

    criteria_set.save()
    criteria_set.levels.all().delete()
    for level in levels:
        level.criteria_set = criteria_set
    CriteriaLevel.objects.bulk_create(levels)
    if criteria_set.nomination_set.exists():
        return criteria_set  # score sheets point to its items: keep them
    criteria_set.criteria.all().delete()
    for criterion, items in criteria:
        criterion.criteria_set = criteria_set
        criterion.save()
        for item in items:
            item.criterion = criterion
        CriterionItem.objects.bulk_create(items)
    return criteria_set


@transaction.atomic
def criteria_from_dict(data: Any, *, keep_titles: bool = False) -> tuple[int, int]:
    """Create or update the titles and criteria sets of ``data``; all or nothing.

    ``keep_titles``: titles already in the database keep what an administrator set (who
    recognises…); only missing ones are created (used for the shipped fixtures).
    Returns (titles, criteria sets) loaded. Raises ``CriteriaFormatError`` naming the entry and
    the field at fault; the transaction is rolled back, so nothing changes.
    """
    if not isinstance(data, dict):
        raise CriteriaFormatError(_("Tệp phải là một đối tượng JSON có “criteria_sets”."))
    version = data.get("format", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        _fail(_("Tệp"), "format", _("phiên bản %(version)s không đọc được.") % {"version": version})
    titles_data = _list(data, "titles", _("Tệp"))
    sets_data = _list(data, "criteria_sets", _("Tệp"), required=True)
    titles: dict[str, Title] = {}
    for number, row in enumerate(titles_data):
        title = _title(row, number, keep_existing=keep_titles)
        if title.code in titles:
            _fail(f"titles[{number}]", "code", _("mã “%(code)s” bị lặp.") % {"code": title.code})
        titles[title.code] = title
    codes: set[str] = set()
    for number, row in enumerate(sets_data):
        criteria_set = _criteria_set(row, number, titles)
        if criteria_set.code in codes:
            _fail(
                f"criteria_sets[{number}]",
                "code",
                _("mã “%(code)s” bị lặp.") % {"code": criteria_set.code},
            )
        codes.add(criteria_set.code)
    return len(titles), len(codes)


def read_file(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CriteriaFormatError(_("không đọc được tệp: %(error)s.") % {"error": exc.strerror}) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CriteriaFormatError(_("tệp không phải JSON hợp lệ: %(error)s.") % {"error": exc}) from None


def load_file(path: Path, *, keep_titles: bool = False) -> tuple[int, int]:
    """Load one file; returns (titles, criteria sets). Errors name the file first."""
    try:
        return criteria_from_dict(read_file(path), keep_titles=keep_titles)
    except CriteriaFormatError as exc:
        raise CriteriaFormatError(f"{Path(path).name}: {exc}") from None


def load_criteria(path: Path, *, keep_titles: bool = True) -> int:
    """Load one file (titles already set up keep their configuration); returns its set count."""
    return load_file(path, keep_titles=keep_titles)[1]


def default_paths() -> list[Path]:
    return sorted((Path(settings.BASE_DIR) / "fixtures").glob("criteria-*.json"))


@transaction.atomic
def load_default_criteria() -> int:
    return sum(load_criteria(path) for path in default_paths())
