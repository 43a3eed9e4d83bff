"""What the home pages and the navigation show. Apps register providers, so this imports none.

A provider is ``func(request) -> dict``; list values from several providers are concatenated
(``home_cards``), other keys are merged.
"""

from __future__ import annotations

from collections.abc import Callable

_home_providers: list[Callable] = []
_nav_providers: list[Callable] = []
_place_providers: list[Callable] = []


def register_home_context(func: Callable) -> Callable:
    """Decorator: ``func(request) -> dict`` adds keys to the home page's context."""
    if func not in _home_providers:
        _home_providers.append(func)
    return func


def register_nav_items(func: Callable) -> Callable:
    """Decorator: ``func(request) -> list[{"url", "label"}]`` adds items to the top menu."""
    if func not in _nav_providers:
        _nav_providers.append(func)
    return func


def register_place(func: Callable) -> Callable:
    """Decorator: ``func(request) -> str | None``, the place in the portal's name ("XHHT · Quảng Ninh")."""
    if func not in _place_providers:
        _place_providers.append(func)
    return func


def portal_place(request, default: str) -> str:
    """The first place a provider gives for this request, else ``default`` (``XHHT_PLACE``)."""
    for provider in _place_providers:
        place = provider(request)
        if place:
            return place
    return default


def _merge(providers: list[Callable], request) -> dict:
    context: dict = {}
    for provider in providers:
        for key, value in provider(request).items():
            if isinstance(value, list) and isinstance(context.get(key), list):
                context[key] = context[key] + value
            else:
                context[key] = value
    return context


def home_context(request) -> dict:
    return _merge(_home_providers, request)


def nav_items(request) -> list[dict]:
    if not request.user.is_authenticated:
        return []
    items: list[dict] = []
    for provider in _nav_providers:
        items.extend(provider(request))
    return items
