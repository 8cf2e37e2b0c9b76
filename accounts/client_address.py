"""The client's address: the one place that says who sent a request.

django-axes (AXES_CLIENT_IP_CALLABLE), the security log and gunicorn's access log all ask
here. Behind the TLS proxy every connection comes from the proxy, so the client is named in
X-Forwarded-For; anyone can send that header, so it is read only when the connection itself
comes from one of TRUSTED_PROXIES (settings; docs/deploy.md). The header is then read from
the right: the last address a trusted proxy did not add is the client, so an address the
client put in the header itself is never believed.
"""

from collections.abc import Iterable, Mapping
from functools import lru_cache
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]):
    return tuple(ip_network(value, strict=False) for value in trusted)


def _parsed(value: str) -> IPv4Address | IPv6Address | None:
    try:
        address = ip_address(value.strip())
    except ValueError:
        return None
    # An IPv4 client seen on an IPv6 socket (::ffff:10.0.0.1) is that IPv4 address.
    if isinstance(address, IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def address_from(meta: Mapping[str, str], trusted_proxies: Iterable[str]) -> str | None:
    """The client's address from a request's META or a WSGI environ: REMOTE_ADDR, unless
    that is a trusted proxy, then the right-most address in X-Forwarded-For that is not."""
    networks = _networks(tuple(trusted_proxies))
    peer = meta.get("REMOTE_ADDR") or None
    address = _parsed(peer) if peer else None
    if address is None or not any(address in network for network in networks):
        return peer
    for value in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = _parsed(value)
        if hop is None:
            # Garbage where an address should be: the chain cannot be followed further.
            return str(address)
        address = hop
        if not any(hop in network for network in networks):
            return str(hop)
    # Proxies all the way (or no header): the left-most one we reached.
    return str(address)


def client_ip(request) -> str | None:
    """The address of the person behind `request` (see the module), None if none is known."""
    if request is None:
        return None
    return address_from(request.META, settings.TRUSTED_PROXIES)
