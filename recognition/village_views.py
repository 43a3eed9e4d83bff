"""Village lists for the village meeting (bình xét): PDF and workbook of one village's nominees.

For the commune's own officer and for those who decide nominations (403 for other readers);
a village that is not the register's commune's is 404, like the register of another commune.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from recognition.models import NominationState, Register
from recognition.village_lists import village_list, village_list_pdf, village_list_xlsx
from units.models import Unit
from xhht_portal import vietnamese
from xhht_portal.access import can_decide_nominations, can_edit_unit, require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def may_print_village_lists(user, register: Register) -> bool:
    return can_edit_unit(user, register.commune) or can_decide_nominations(user)


def village_rows(register: Register) -> list[dict]:
    """Every village of the register's commune with its number of nominees (withdrawn ones left out)."""
    counts = dict(
        register.nominations.exclude(state=NominationState.WITHDRAWN)
        .values_list("village")
        .annotate(n=Count("pk"))
        .order_by()
    )
    villages = register.villages().order_by("order", vietnamese.collate("name"))
    return [{"village": village, "count": counts.get(village.pk, 0)} for village in villages]


def _listing(request, pk: int, village_pk: int):
    from recognition.views import _register

    register = _register(request, pk)
    require(may_print_village_lists(request.user, register))
    village = get_object_or_404(register.villages(), pk=village_pk)
    return register, village_list(register, village)


def _empty(request, register: Register, village: Unit):
    messages.warning(
        request,
        _("Thôn “%(village)s” chưa có đề nghị nào trong sổ đăng ký này; không có danh sách để in.")
        % {"village": village.name},
    )
    return redirect(reverse("recognition:register", args=[register.pk]) + "#village-lists")


@require_GET
@login_required
def village_list_pdf_view(request, pk: int, village_pk: int):
    register, listing = _listing(request, pk, village_pk)
    if not listing.rows:
        return _empty(request, register, listing.village)
    response = HttpResponse(village_list_pdf(listing), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{listing.filename_stem}.pdf"'
    return response


@require_GET
@login_required
def village_list_xlsx_view(request, pk: int, village_pk: int):
    register, listing = _listing(request, pk, village_pk)
    if not listing.rows:
        return _empty(request, register, listing.village)
    response = HttpResponse(village_list_xlsx(listing), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{listing.filename_stem}.xlsx"'
    return response
