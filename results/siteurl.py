"""
The archive's public address: settings.SITE_URL, or the address a request came in on when it is unset.

Printed signs and their QR codes outlive the request that made them, so a copy opened at
127.0.0.1 or on a private network must say that its links only work there.
"""

import ipaddress

from django.conf import settings
from django.http.request import split_domain_port


def site_root(request):
    """Scheme and host of every absolute link: SITE_URL, else the request's own."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


def absolute_url(request, path):
    return site_root(request) + path


def local_reach(request):
    """
    "machine" when links are made from the request's address and it only works on this computer
    (loopback), "network" when only on the local network (private addresses, .local), else None.
    """
    if settings.SITE_URL:
        return None
    domain, _port = split_domain_port(request.get_host())
    domain = domain.strip("[]")
    if domain == "localhost" or domain.endswith(".localhost"):
        return "machine"
    try:
        address = ipaddress.ip_address(domain)
    except ValueError:
        return "network" if domain.endswith((".local", ".lan", ".internal")) or "." not in domain else None
    if address.is_loopback:
        return "machine"
    if address.is_private or address.is_link_local:
        return "network"
    return None
