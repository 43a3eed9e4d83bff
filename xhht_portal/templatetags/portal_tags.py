"""Template pieces every app's pages share: the error summary at the top of a refused form."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def _field_label(form, bound) -> str:
    # A form whose labels repeat (the report form's "Số lượng" under every indicator) names its
    # fields itself through summary_label(name).
    named = getattr(form, "summary_label", None)
    return str(named(bound.name) if named else bound.label)


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms, extra=None):
    """Every error of the given bound forms as a list of links to their fields, plus ``extra`` items.

    ``extra`` is a list of ``{"href": "#id", "label": ..., "message": ...}`` for errors that live
    outside a form (the rows of the recognition review). portal.js moves focus to the summary.
    """
    items: list[dict] = []
    for form in forms:
        if not form or not getattr(form, "is_bound", False) or not form.errors:
            continue
        for error in form.non_field_errors():
            items.append({"href": "", "label": "", "message": error})
        for bound in form:
            for error in bound.errors:
                if bound.is_hidden:  # nothing to link to, and its name means nothing to the reader
                    items.append({"href": "", "label": "", "message": error})
                else:
                    items.append({"href": f"#{bound.auto_id}", "label": _field_label(form, bound), "message": error})
    items.extend(extra or [])
    return {"error_items": items}


@register.filter
def breakable_figure(value) -> str:
    """A figure that wraps only before its unit: "≥ 300" then "/1 vạn dân", never inside either.

    "300/1 vạn dân" in a narrow column (dashboard, PDF) overflowed into the next one; left to the
    line breaker, WeasyPrint cut it after the slash ("300/" · "1 vạn dân").
    """
    text = str(value).replace(" ", "\u00a0")
    suffix = str(_("/1 vạn dân")).replace(" ", "\u00a0")
    if suffix not in text:
        return text
    number, _sep, rest = text.partition(suffix)
    return format_html('{}\u200b<span class="figure-unit">{}</span>{}', number, suffix, rest)
