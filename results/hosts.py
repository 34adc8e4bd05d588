"""Requests for a host not in ALLOWED_HOSTS: a 400 with the usual security headers and one log line."""

import logging

from django.core.exceptions import DisallowedHost
from django.http import HttpResponseBadRequest
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils.log import log_response

# Django's own logger for this case, so an operator who silences it (Django's docs show how) silences ours too.
logger = logging.getLogger("django.security.DisallowedHost")

# The middleware in settings.MIDDLEWARE that add headers to every response.
HEADER_MIDDLEWARE = [SecurityMiddleware, ContentSecurityPolicyMiddleware, XFrameOptionsMiddleware]


class AllowedHostMiddleware:
    """
    First in MIDDLEWARE: refuses a foreign Host before any other middleware asks for it.

    Left to Django, the first get_host() raises DisallowedHost out of whichever middleware
    calls it: the 400 then lacks the headers of the middleware below that one, and every such
    request (scanners send many) logs a full traceback.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header_middleware = [middleware(get_response) for middleware in HEADER_MIDDLEWARE]

    def __call__(self, request):
        try:
            request.get_host()
        except DisallowedHost as error:
            response = HttpResponseBadRequest("Bad Request", content_type="text/plain; charset=utf-8")
            # Escapes the arguments (a %0A in the path forges no log line) and marks the response as
            # logged, which spares the handler's second "Bad Request" line (django.request).
            log_response(
                "%s (%s %s)",
                str(error),
                request.method,
                request.path,
                response=response,
                request=request,
                logger=logger,
            )
            for middleware in self.header_middleware:
                response = middleware.process_response(request, response)
            return response
        return self.get_response(request)
