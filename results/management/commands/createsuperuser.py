"""Django's createsuperuser, which checks DJANGO_SUPERUSER_PASSWORD against the password validators too."""

import os

from django.contrib.auth.management.commands import createsuperuser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


class Command(createsuperuser.Command):
    def handle(self, *args, **options):
        # Interactive use already validates; without a prompt Django sets the password unchecked.
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if password and not options["interactive"]:
            username_field = self.UserModel.USERNAME_FIELD
            username = options.get(username_field) or os.environ.get(f"DJANGO_SUPERUSER_{username_field.upper()}")
            user = self.UserModel(**{username_field: username or "", "email": options.get("email") or ""})
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        return super().handle(*args, **options)
