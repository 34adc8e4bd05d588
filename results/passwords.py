"""A password validator that estimates how fast a password is guessed (zxcvbn), knowing the site's own words."""

import inspect

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from zxcvbn import zxcvbn

# zxcvbn raises ValueError above this length (its running time grows with it); read from the library, not copied.
ZXCVBN_MAX_LENGTH = inspect.signature(zxcvbn).parameters["max_length"].default

# Words an attacker tries first against this site: Django's list of common passwords has none of them.
SITE_WORDS = [
    "winnenden",
    "ergebnisarchiv",
    "regionalkonferenz",
    "konferenz",
    "integration",
    "integrationsmanagement",
    "intman",
    "pakt",
    "thementisch",
    "redaktion",
    "weltcafe",
    "worldcafe",
    "hermann",
    "schwab",
    "halle",
    "admin",
]


class StrengthValidator:
    """Rejects a password that zxcvbn scores below `min_score` (0-4): repeats, years, names, the site's words."""

    def __init__(self, min_score=3):
        self.min_score = min_score

    def validate(self, password, user=None):
        words = [*SITE_WORDS, settings.SITE_NAME, settings.SITE_OPERATOR]
        if user is not None:
            words += [user.get_username(), *(getattr(user, name, "") for name in ("email", "first_name", "last_name"))]
        # Only the start is scored: zxcvbn refuses longer passwords, and one this long is not guessed anyway.
        if zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[word for word in words if word])["score"] < self.min_score:
            raise ValidationError(
                gettext(
                    "Dieses Passwort ist zu leicht zu erraten. Nehmen Sie mehrere Wörter, die nicht zusammengehören, "
                    "oder eine lange zufällige Zeichenfolge."
                ),
                code="password_too_guessable",
            )

    def get_help_text(self):
        return gettext("Ihr Passwort darf nicht leicht zu erraten sein (wie „Winnenden2019“ oder „passwortpasswort“).")
