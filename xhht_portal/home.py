"""What each home page shows. Apps register a context function so this module imports none."""

from __future__ import annotations

from collections.abc import Callable

_providers: list[Callable] = []


def register_home_context(func: Callable) -> Callable:
    """Decorator: ``func(request) -> dict`` adds keys to every home page's context."""
    _providers.append(func)
    return func


def home_context(request) -> dict:
    context: dict = {}
    for provider in _providers:
        context.update(provider(request))
    return context
