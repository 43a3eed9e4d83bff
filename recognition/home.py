"""What the recognition app adds to the top menu and the home pages."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import pgettext

from recognition.models import NominationState, Register
from xhht_portal.access import can_decide_nominations, is_unit_officer


def nav_items(request) -> list[dict]:
    items = [{"url": reverse("recognition:registers"), "label": pgettext("menu", "Danh hiệu")}]
    if can_decide_nominations(request.user):
        items.append({"url": reverse("recognition:queue"), "label": pgettext("menu", "Duyệt danh hiệu")})
    return items


def home_context(request) -> dict:
    user = request.user
    context: dict = {}
    if is_unit_officer(user):
        context["recognition_registers"] = list(
            Register.objects.visible_to(user)
            .select_related("title")
            .annotate(
                total=Count("nominations"),
                pending=Count("nominations", filter=Q(nominations__state=NominationState.SUBMITTED)),
                approved=Count("nominations", filter=Q(nominations__state=NominationState.APPROVED)),
                refused=Count("nominations", filter=Q(nominations__state=NominationState.REFUSED)),
            )
            .order_by("-year", "title__order", "title")[:4]
        )
    if can_decide_nominations(user):
        context["recognition_queue_count"] = (
            Register.objects.visible_to(user).filter(nominations__state=NominationState.SUBMITTED).distinct().count()
        )
    return context
