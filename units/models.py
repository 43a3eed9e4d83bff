"""Units: the administrative tree and the bodies attached to it, with their reorganisations.

This app is at the bottom of the dependency chain (`units ← targets ← reporting ← recognition`):
it imports nothing of ours except the kernel `xhht_portal`.

Levels: nation → province → district (historical, until 30/06/2025) → commune (xã, phường, thị
trấn, đặc khu) → village (thôn, bản, khu, tổ dân phố). Non-territorial units (departments,
agencies, schools, associations, centres) hang under the territorial unit they belong to.

The tree is materialised in ``path`` ("/1/5/42/": the ids from the root), so a node's subtree
(``path__startswith``) and a unit's ancestors (the ids in its path) are one indexed query each;
``save()`` keeps the paths of the whole subtree right when a parent changes.

Validity: a GSO code names a unit only together with its dates (06985 was xã Lương Mông until
31/10/2024, xã Lương Minh from 01/11/2024, the new xã Lương Minh from 01/07/2025). Two rows may
share a code but not a day of validity; ``Unit.objects.resolve(code, on=day)`` finds the one.

Reorganisations never rewrite history. A unit whose area, name or parent changes ends
(``valid_to``) and a new row starts the next day, linked by a ``Reorganisation`` (merger, split,
partial transfer, rename, re-parenting) whose links carry the share of the predecessor that went
to the successor (1 = whole; empty = a part whose size the legal act does not give). Reports
and recognitions stay on the row that existed then; ``lineage()`` maps a unit back to the rows of
an earlier date for trends. **Villages that move to a new commune** (01/07/2025) are handled the
same way: the old village row ends with its commune, a new row under the new commune starts,
and a re-parenting link (share 1) joins them (see ``move_children``). The tree of a given day is
therefore simply the rows valid on that day, and a historical district keeps its subtree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reporter(models.TextChoices):
    """Who reports an indicator's raw numbers (section IV of the programme)."""

    COMMUNE = "xa", _("UBND xã, thị trấn")
    EDUCATION = "GD", _("Phòng GD&ĐT")
    HOME_AFFAIRS = "NV", _("Phòng Nội vụ")
    LABOUR = "LD", _("Phòng LĐ-TB&XH")
    CENTRE = "TT", _("Trung tâm GDNN-GDTX")
    ALL = "all", _("Mọi đơn vị (cán bộ của đơn vị)")
    PROVINCE = "tinh", _("UBND tỉnh, thành phố")


class UnitKind(models.TextChoices):
    NATION = "nation", _("Quốc gia")
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện")
    TOWN = "town", _("Thị trấn")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    VILLAGE = "village", _("Thôn, bản, khu")
    RESIDENTIAL_GROUP = "residential_group", _("Tổ dân phố")
    DEPARTMENT = "department", _("Phòng, ban")
    AGENCY = "agency", _("Cơ quan, đơn vị")
    SCHOOL = "school", _("Trường học")
    ASSOCIATION = "association", _("Hội, đoàn thể")
    CENTRE = "centre", _("Trung tâm")


class Level(models.IntegerChoices):
    NATION = 0, _("Trung ương")
    PROVINCE = 1, _("Cấp tỉnh")
    DISTRICT = 2, _("Cấp huyện")
    COMMUNE = 3, _("Cấp xã")
    VILLAGE = 4, _("Thôn, tổ dân phố")
    BODY = 9, _("Cơ quan, tổ chức")


TERRITORIAL_COMMUNE_KINDS = (UnitKind.TOWN, UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE)
VILLAGE_KINDS = (UnitKind.VILLAGE, UnitKind.RESIDENTIAL_GROUP)
BODY_KINDS = (UnitKind.DEPARTMENT, UnitKind.AGENCY, UnitKind.SCHOOL, UnitKind.ASSOCIATION, UnitKind.CENTRE)
LEVEL_OF_KIND = {
    UnitKind.NATION: Level.NATION,
    UnitKind.PROVINCE: Level.PROVINCE,
    UnitKind.DISTRICT: Level.DISTRICT,
    **dict.fromkeys(TERRITORIAL_COMMUNE_KINDS, Level.COMMUNE),
    **dict.fromkeys(VILLAGE_KINDS, Level.VILLAGE),
    **dict.fromkeys(BODY_KINDS, Level.BODY),
}


def _valid_on_q(day: dt.date, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> UnitQuerySet:
        """The units that exist on ``day`` (a period expects those valid on its last day)."""
        return self.filter(_valid_on_q(day))

    active_on = valid_on  # the older name

    def active_during(self, start: dt.date, end: dt.date) -> UnitQuerySet:
        """Units valid on at least one day of [start, end]."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=start)
        )

    def resolve(self, code: str, on: dt.date | None = None) -> Unit | None:
        """The unit that carries ``code`` on the day ``on`` (default: today), or None."""
        return self.filter(code=code.strip()).valid_on(on or timezone.localdate()).first()

    def reporting(self) -> UnitQuerySet:
        """Units that submit reports: those with a reporter code."""
        return self.exclude(reporter_code="")

    def communes(self) -> UnitQuerySet:
        return self.filter(kind__in=TERRITORIAL_COMMUNE_KINDS)

    def villages(self) -> UnitQuerySet:
        return self.filter(kind__in=VILLAGE_KINDS)

    def at_level(self, level: int) -> UnitQuerySet:
        return self.filter(kind__in=[kind for kind, lvl in LEVEL_OF_KIND.items() if lvl == level])

    def subtree(self, unit: Unit, *, include_self: bool = True) -> UnitQuerySet:
        """The unit and everything under it, at any depth: one indexed prefix query on ``path``."""
        if not unit.path:  # not yet numbered (a bulk insert without rebuild_paths): only itself
            return self.filter(pk=unit.pk) if include_self else self.none()
        units = self.filter(path__startswith=unit.path)
        return units if include_self else units.exclude(pk=unit.pk)

    def visible_to(self, user) -> UnitQuerySet:
        """Everyone with "view all units" sees every unit; an officer sees their unit's whole subtree."""
        from xhht_portal.access import sees_all_units

        if sees_all_units(user):
            return self
        if getattr(user, "unit_id", None):
            return self.subtree(user.unit)
        return self.none()

    def rebuild_paths(self) -> int:
        """Recompute every ``path`` from the parents (after bulk inserts); returns the row updates
        made (0 when every path was right; a row may be written more than once on the way).

        A few UPDATE statements (one per depth of the tree), whatever the number of units.
        """
        own = Concat(
            Value("/"), Cast("pk", output_field=models.CharField()), Value("/"), output_field=models.CharField()
        )
        changed = Unit.objects.filter(parent__isnull=True).exclude(path=own).update(path=own)
        below = Concat(
            F("parent__path"), Cast("pk", output_field=models.CharField()), Value("/"), output_field=models.CharField()
        )
        from_parent = Concat(
            Subquery(Unit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]),
            Cast("pk", output_field=models.CharField()),
            Value("/"),
            output_field=models.CharField(),
        )
        for _depth in range(32):
            count = Unit.objects.filter(parent__isnull=False).exclude(path=below).update(path=from_parent)
            changed += count
            if not count:
                return changed
        raise ValidationError(_("Cây đơn vị có vòng lặp."))


class Unit(models.Model):
    code = models.CharField(
        _("mã"),
        max_length=30,
        db_index=True,
        help_text=_("Mã của Tổng cục Thống kê nếu có. Một mã có thể được dùng lại sau khi sắp xếp đơn vị."),
    )
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("trực thuộc"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("đường dẫn trong cây"), max_length=255, blank=True, editable=False, db_index=True)
    reporter_code = models.CharField(
        _("báo cáo các chỉ tiêu của"),
        max_length=10,
        choices=Reporter.choices,
        blank=True,
        help_text=_("Để trống nếu đơn vị không nộp báo cáo (ví dụ: thôn, bản)."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        indexes = [models.Index(fields=["parent", "kind"])]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_once_per_start"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_from__isnull=True), name="unit_code_once_without_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_from__lte=F("valid_to")),
                name="unit_valid_from_not_after_valid_to",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            super().save(*args, **kwargs)
            self._sync_path()

    @property
    def level(self) -> int:
        return LEVEL_OF_KIND.get(self.kind, Level.BODY)

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)

    is_active_on = is_valid_on  # the older name

    def ancestors(self, *, include_self: bool = False) -> list[Unit]:
        """From the root down, in one query over the ids of ``path``."""
        ids = [int(part) for part in self.path.strip("/").split("/") if part]
        if not include_self:
            ids = [pk for pk in ids if pk != self.pk]
        by_id = Unit.objects.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValidationError({"valid_to": _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")})
        if self.parent_id and self.pk and (self.parent_id == self.pk or f"/{self.pk}/" in (self.parent.path or "")):
            raise ValidationError({"parent": _("Một đơn vị không thể trực thuộc chính nó hay đơn vị cấp dưới của nó.")})
        if self.code and self.overlapping().exists():
            other = self.overlapping().first()
            raise ValidationError(
                {
                    "code": _("Mã %(code)s đã là của “%(name)s” trong cùng thời gian hiệu lực.")
                    % {"code": self.code, "name": other.name}
                }
            )

    def overlapping(self) -> UnitQuerySet:
        """Other units with this code whose validity shares at least one day with this one's."""
        others = Unit.objects.filter(code=self.code).exclude(pk=self.pk)
        if self.valid_to:
            others = others.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=self.valid_to))
        if self.valid_from:
            others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        return others

    def _sync_path(self) -> None:
        """Put this unit's path right and, if it moved, every path under it (one UPDATE)."""
        parent_path = "/"
        if self.parent_id:
            parent_path = Unit.objects.filter(pk=self.parent_id).values_list("path", flat=True).first() or ""
            if not parent_path:
                Unit.objects.rebuild_paths()
                self.path = Unit.objects.filter(pk=self.pk).values_list("path", flat=True).get()
                return
            if f"/{self.pk}/" in parent_path:
                raise ValidationError(_("Một đơn vị không thể trực thuộc chính nó hay đơn vị cấp dưới của nó."))
        wanted = f"{parent_path}{self.pk}/"
        old = Unit.objects.filter(pk=self.pk).values_list("path", flat=True).get()
        if old == wanted:
            self.path = wanted
            return
        Unit.objects.filter(pk=self.pk).update(path=wanted)
        if old:
            Unit.objects.filter(path__startswith=old).exclude(pk=self.pk).update(
                path=Concat(Value(wanted), Substr("path", len(old) + 1), output_field=models.CharField())
            )
        self.path = wanted


class ReorganisationKind(models.TextChoices):
    MERGER = "merger", _("Sáp nhập, hợp nhất")
    SPLIT = "split", _("Chia tách")
    PARTIAL_TRANSFER = "transfer", _("Điều chỉnh một phần địa giới")
    RENAME = "rename", _("Đổi tên")
    REPARENT = "reparent", _("Chuyển trực thuộc")


class ShareBasis(models.TextChoices):
    POPULATION = "population", _("theo dân số")
    HOUSEHOLDS = "households", _("theo số hộ")
    AREA = "area", _("theo diện tích")


class Reorganisation(models.Model):
    """One change of the unit tree by one legal act on one date (e.g. one clause of NQ 1679)."""

    kind = models.CharField(_("loại"), max_length=20, choices=ReorganisationKind.choices)
    legal_act = models.CharField(_("văn bản"), max_length=200, blank=True, help_text=_("Ví dụ: NQ 1679/NQ-UBTVQH15."))
    effective = models.DateField(_("ngày hiệu lực"), help_text=_("Ngày đầu tiên đơn vị mới hoạt động."))
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["effective", "pk"]
        verbose_name = _("sắp xếp đơn vị")
        verbose_name_plural = _("sắp xếp đơn vị")

    def __str__(self) -> str:
        successors = ", ".join(sorted({link.successor.name for link in self.links.all()}))
        return f"{self.get_kind_display()} {self.effective:%d/%m/%Y}: {successors}"


class ReorganisationLink(models.Model):
    """The predecessor's area (all of it, or a share) went to the successor."""

    reorganisation = models.ForeignKey(Reorganisation, on_delete=models.CASCADE, related_name="links")
    predecessor = models.ForeignKey(
        Unit, verbose_name=_("đơn vị cũ"), on_delete=models.PROTECT, related_name="successor_links"
    )
    successor = models.ForeignKey(
        Unit, verbose_name=_("đơn vị mới"), on_delete=models.PROTECT, related_name="predecessor_links"
    )
    share = models.DecimalField(
        _("tỷ lệ chuyển sang"),
        max_digits=7,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("1 = toàn bộ. Để trống nếu chỉ một phần mà văn bản không cho biết tỷ lệ."),
    )
    share_basis = models.CharField(_("tính theo"), max_length=20, choices=ShareBasis.choices, blank=True)

    class Meta:
        ordering = ["reorganisation", "pk"]
        verbose_name = _("đơn vị cũ → đơn vị mới")
        verbose_name_plural = _("đơn vị cũ → đơn vị mới")
        constraints = [
            models.UniqueConstraint(fields=["reorganisation", "predecessor", "successor"], name="one_link_per_pair"),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | (Q(share__gt=0) & Q(share__lte=1)), name="share_in_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"

    @property
    def is_whole(self) -> bool:
        return self.share == 1

    def clean(self) -> None:
        super().clean()
        if self.predecessor_id and self.successor_id and self.predecessor_id == self.successor_id:
            raise ValidationError(_("Đơn vị cũ và đơn vị mới phải khác nhau."))
        try:  # in the admin's inline the reorganisation may not be saved yet
            effective = self.reorganisation.effective
        except Reorganisation.DoesNotExist:
            effective = None
        if effective and self.successor_id and not self.successor.is_valid_on(effective):
            raise ValidationError(
                {"successor": _("Đơn vị mới phải có hiệu lực từ ngày %(day)s.") % {"day": f"{effective:%d/%m/%Y}"}}
            )
        before = effective - dt.timedelta(days=1) if effective else None
        if before and self.predecessor_id and not self.predecessor.is_valid_on(before):
            raise ValidationError(
                {"predecessor": _("Đơn vị cũ phải còn hiệu lực ngày %(day)s.") % {"day": f"{before:%d/%m/%Y}"}}
            )


Share = Decimal | None  # None: a part of unknown size


def _times(a: Share, b: Share) -> Share:
    return None if a is None or b is None else (a * b).quantize(Decimal("0.000001"))


def _plus(a: Share, b: Share) -> Share:
    return None if a is None or b is None else a + b


def lineages(units: Iterable[Unit], before: dt.date) -> dict[int, list[tuple[Unit, Share]]]:
    """For each unit, the units valid on ``before`` that its area came from, with the share of each.

    Transitive across several reorganisations (xã Lương Minh 2025 ← Lương Minh 2024 + Đồng Sơn ←
    Minh Cầm + Lương Mông + Đồng Sơn). A unit valid on ``before`` is its own lineage (share 1); a
    unit that ended before ``before`` has none. A share is None when some step is a part whose
    size is unknown. One query per generation walked back.
    """
    result: dict[int, dict[int, tuple[Unit, Share]]] = {}
    frontier: list[tuple[int, Unit, Share]] = []
    for unit in units:
        result[unit.pk] = {}
        frontier.append((unit.pk, unit, Decimal(1)))
    for _generation in range(32):
        if not frontier:
            break
        waiting: list[tuple[int, Unit, Share]] = []
        for origin, unit, share in frontier:
            if unit.is_valid_on(before):
                found = result[origin].get(unit.pk)
                result[origin][unit.pk] = (unit, share if found is None else _plus(found[1], share))
            elif unit.valid_from and before < unit.valid_from:
                waiting.append((origin, unit, share))
        links_by_successor: dict[int, list[ReorganisationLink]] = {}
        if waiting:
            links = ReorganisationLink.objects.filter(
                successor__in={unit.pk for _o, unit, _s in waiting}, reorganisation__effective__gt=before
            ).select_related("predecessor")
            for link in links:
                links_by_successor.setdefault(link.successor_id, []).append(link)
        frontier = [
            (origin, link.predecessor, _times(share, link.share))
            for origin, unit, share in waiting
            for link in links_by_successor.get(unit.pk, [])
        ]
    return {pk: sorted(found.values(), key=lambda pair: (pair[0].order, pair[0].name)) for pk, found in result.items()}


def lineage(unit: Unit, before: dt.date) -> list[tuple[Unit, Share]]:
    """The (predecessor unit, share) pairs valid on ``before`` that make up ``unit``: see ``lineages``."""
    return lineages([unit], before)[unit.pk]


@transaction.atomic
def move_children(
    old_parent: Unit, new_parent: Unit, *, effective: dt.date, legal_act: str = "", kinds=VILLAGE_KINDS
) -> list[Unit]:
    """Villages (by default) of ``old_parent`` continue under ``new_parent`` from ``effective``.

    Each old row ends the day before; a new row with the same code and name starts under the new
    parent, joined by a re-parenting link (share 1). Idempotent: an existing new row is reused.
    """
    last_day = effective - dt.timedelta(days=1)
    reorganisation, _created = Reorganisation.objects.get_or_create(
        kind=ReorganisationKind.REPARENT,
        effective=effective,
        legal_act=legal_act,
        note=f"{old_parent.name} → {new_parent.name}",
    )
    moved = []
    for child in old_parent.children.filter(kind__in=kinds).order_by("order", "name"):
        if child.valid_to is None or child.valid_to > last_day:
            child.valid_to = last_day
            child.save(update_fields=["valid_to"])
        new, _created = Unit.objects.get_or_create(
            code=child.code,
            valid_from=effective,
            defaults={
                "name": child.name,
                "kind": child.kind,
                "parent": new_parent,
                "reporter_code": child.reporter_code,
                "order": child.order,
                "valid_to": new_parent.valid_to,
            },
        )
        ReorganisationLink.objects.get_or_create(
            reorganisation=reorganisation, predecessor=child, successor=new, defaults={"share": Decimal(1)}
        )
        moved.append(new)
    return moved
