"""Requests for a host not in ALLOWED_HOSTS: a 400 with the usual security headers and one log line."""

import logging

from django.core.exceptions import DisallowedHost
from django.http import HttpResponseBadRequest
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.security import SecurityMiddleware

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
            logger.warning("%s (%s %s)", error, request.method, request.path)
            response = HttpResponseBadRequest("Bad Request", content_type="text/plain; charset=utf-8")
            # The line above says it all: spare the handler's second "Bad Request" line (django.request).
            response._has_been_logged = True
            for middleware in self.header_middleware:
                response = middleware.process_response(request, response)
            return response
        return self.get_response(request)
