"""Staff sessions end after SESSION_COOKIE_AGE without a request to the admin."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

# Renewing writes the session: at most this often, not on every admin page.
RENEW_AFTER = 5 * 60


def now():
    return int(timezone.now().timestamp())


@receiver(user_logged_in)
def stamp_new_session(sender, request, user, **kwargs):
    # A login writes the session anyway: the first pages after it need not write it again.
    if request is not None:
        request.session["renewed"] = now()


class IdleTimeoutMiddleware:
    """Moves the end of an admin session forward while it is in use (the public site sets no session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Only requests that carry a session cookie touch the session: public pages stay cacheable.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.path.startswith(reverse("admin:index")):
            session = request.session
            if not session.is_empty() and now() - session.get("renewed", 0) > RENEW_AFTER:
                session["renewed"] = now()
        return response
