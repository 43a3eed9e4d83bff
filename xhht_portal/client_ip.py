"""The address of the person at the keyboard, as far as the portal can trust it.

In production every request reaches gunicorn from nginx (and perhaps a load balancer or the
province's gateway before it), so ``REMOTE_ADDR`` is the proxy's address for everyone: keying login
throttling on it would let five wrong passwords lock every officer out. Each trusted proxy appends
the address it received the request from to ``X-Forwarded-For``, so with ``XHHT_PROXY_COUNT`` = N
trusted proxies the client is the N-th address from the right. Whatever a client writes into the
header itself sits further left and is ignored; counting from the right is what makes it unforgeable.

``XHHT_PROXY_COUNT`` = 0 (development, tests, gunicorn reached directly): the socket's peer.
django-axes calls :func:`client_ip` (``AXES_CLIENT_IP_CALLABLE``).
"""

from __future__ import annotations

from django.conf import settings
from ipware import get_client_ip


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or the one the outermost trusted proxy saw."""
    if request is None:
        return None
    meta = getattr(request, "META", {}) or {}
    count = int(getattr(settings, "XHHT_PROXY_COUNT", 0) or 0)
    if count > 0:
        # django-ipware counts the proxies *between* the client and the last proxy, whose own
        # address is REMOTE_ADDR: with N proxies the client is at -(N-1)-1 = -N in the header.
        # Not strict: a longer header (a client's own X-Forwarded-For) is allowed, and only its
        # trusted right-hand part is used.
        address, _routable = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=count - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address:
            return address
    # No proxy, or a header shorter than the proxy chain (a request that did not come through
    # every proxy): the socket's peer is all we know.
    return meta.get("REMOTE_ADDR")
