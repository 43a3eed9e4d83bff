"""The words for report states and timeliness in templates, from ``reporting.states`` (one source)."""

from __future__ import annotations

from django import template

from reporting import states

register = template.Library()


@register.simple_tag
def state_label(state: str) -> str:
    """{% state_label "submitted" %} → "Đã gửi, chờ duyệt"."""
    return states.state_label(state)


@register.simple_tag
def timeliness_label(timeliness: str) -> str:
    """{% timeliness_label "late" %} → "Trễ hạn"."""
    return str(states.TIMELINESS_LABELS[timeliness])
