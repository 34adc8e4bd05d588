"""The client's address, for the login lockout (django-axes) and the report form's rate limit."""

from django.conf import settings


def client_ip(request):
    """
    REMOTE_ADDR, or behind PROXY_COUNT proxies the address the outermost proxy saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the
    PROXY_COUNT-th entry from the right was written by a trusted proxy; everything left of it
    comes from the client and can be forged. Without the setting the header is ignored.
    """
    count = settings.PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
