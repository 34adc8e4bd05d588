"""
Two-factor login for staff (django-otp), switched on by ADMIN_TWO_FACTOR (DJANGO_ADMIN_2FA=1).

After the password, staff enter the code of an authenticator app (TOTP), or one of ten recovery
codes for a lost phone. Who has no app yet sets one up on first login; who has one can replace
it only after entering a code, so a stolen password never enrols the thief's phone.
"""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


class TwoFactorMiddleware:
    """After django_otp's OTPMiddleware: sends staff who gave only their password to the code page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.ADMIN_TWO_FACTOR and needs_code(request):
            return redirect_to_login(request.get_full_path(), reverse("two-factor"))
        return self.get_response(request)


def needs_code(request):
    if not request.path.startswith(reverse("admin:index")):
        return False
    open_paths = [reverse("two-factor"), reverse("two-factor-setup"), reverse("admin:login"), reverse("admin:logout")]
    if any(request.path.startswith(path) for path in open_paths):
        return False
    user = request.user
    return user.is_authenticated and user.is_staff and not user.is_verified()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


def next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("admin:index")


def with_next(url, request):
    return f"{url}?{urlencode({'next': next_url(request)}, safe='/')}"


def app_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@never_cache
@staff_member_required
def verify(request):
    """The second step of the login: a code from the app, or a recovery code."""
    if app_device(request.user) is None:
        return redirect(with_next(reverse("two-factor-setup"), request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        with transaction.atomic():
            # for_verify locks the devices: a code is accepted once, even by two requests at the same moment.
            device = next(
                (
                    device
                    for device in devices_for_user(request.user, for_verify=True)
                    if device.verify_token(form.cleaned_data["code"])
                ),
                None,
            )
        if device is not None:
            otp_login(request, device)
            return redirect(next_url(request))
        form.add_error("code", gettext("Dieser Code stimmt nicht. Bitte geben Sie den aktuellen Code ein."))
    return render(
        request, "admin/two_factor/verify.html", {"form": form, "next": next_url(request), **context(request)}
    )


@never_cache
@staff_member_required
def setup(request):
    """Set up an authenticator app (or replace one, once verified), then show new recovery codes once."""
    if app_device(request.user) is not None and not request.user.is_verified():
        return redirect(with_next(reverse("two-factor"), request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=gettext("Authenticator-App"), confirmed=False)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = confirm(device)
            otp_login(request, device)
            return render(
                request,
                "admin/two_factor/recovery_codes.html",
                {"codes": codes, "next": next_url(request), **context(request)},
            )
        form.add_error("code", gettext("Dieser Code stimmt nicht. Bitte geben Sie den aktuellen Code aus der App ein."))
    return render(
        request,
        "admin/two_factor/setup.html",
        {
            "form": form,
            "next": next_url(request),
            "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
            "secret": b32encode(device.bin_key).decode(),
            **context(request),
        },
    )


@transaction.atomic
def confirm(device):
    """Make `device` the user's only app and give the user new recovery codes; returns the codes."""
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=device.user).delete()
    recovery = StaticDevice.objects.create(user=device.user, name=gettext("Wiederherstellungscodes"))
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


def context(request):
    return {**admin.site.each_context(request), "title": gettext("Anmeldung mit zweitem Faktor")}
