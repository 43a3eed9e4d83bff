"""Template helpers of the recognition pages."""

from __future__ import annotations

from django import template

from targets.numbers import format_number

register = template.Library()

STATE_CLASSES = {
    "registered": "status-no-data",
    "scored": "status-on-track",
    "submitted": "status-on-track",
    "approved": "status-met",
    "refused": "status-behind",
    "withdrawn": "status-no-data",
}


@register.filter
def vn(value, places: int = 1) -> str:
    """66.7 → 66,7; 1234 → 1.234."""
    return format_number(value, places)


@register.inclusion_tag("recognition/_state.html")
def state_badge(nomination):
    """The state as a word on a coloured badge: colour is never the only signal."""
    return {"label": nomination.get_state_display(), "css": STATE_CLASSES.get(nomination.state, "status-no-data")}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def get_field(form, name):
    return form[name]


@register.inclusion_tag("recognition/_certificates_button.html", takes_context=True)
def certificates_button(context, decision):
    """Every certificate of a decision: a link to the PDF, or a button starting a background job
    (POST) when the decision has more than ``XHHT_CERTIFICATE_TASK_COUNT`` certificates."""
    from recognition.jobs import certificates_in_background

    return {
        "decision": decision,
        "background": certificates_in_background(decision.nominations.count()),
        "csrf_token": context.get("csrf_token"),
    }
