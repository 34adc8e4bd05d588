import time

from django import forms
from django.core import signing
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from results.models import Card


class VersionedCardForm(forms.ModelForm):
    """A card form that refuses to save over a change made after the form was loaded."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # simple-history keeps it with the change (its field holds 100 characters).
    change_reason = forms.CharField(
        label=_("Grund der Änderung"),
        required=False,
        max_length=100,
        help_text=_("Steht in der Geschichte der Karte und, bei einer berichtigten Karte, öffentlich unter ihr."),
    )
    # Set when the form edits an earlier version (a revert): the version in the database now.
    current_version = None

    class Meta:
        model = Card
        # Never original_text, origin or version: the document's wording stays, and the version is ours to count.
        fields = ["table", "station", "kind", "heading", "text", "position", "parent", "withdrawn", "withdrawn_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("loaded_version", self.current_version or self.instance.version)

    def clean(self):
        # Card.clean() adds the model's own rules (a withdrawn card needs a reason).
        cleaned_data = super().clean()
        if self.instance.pk is None or not self.has_changed():
            return cleaned_data
        loaded = cleaned_data.get("loaded_version")
        current = Card.objects.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            # Holds the row until the save commits, so two saves cannot both pass this check.
            current = current.select_for_update()
        current = current.select_related("station").first()
        if current is None:
            raise forms.ValidationError(
                gettext("Diese Karte wurde inzwischen gelöscht. Ihre Änderungen wurden nicht gespeichert."),
                code="deleted",
            )
        if loaded != current.version:
            raise forms.ValidationError(conflict_message(current), code="conflict")
        return cleaned_data

    def save(self, commit=True):
        if self.instance.pk is not None and self.cleaned_data.get("loaded_version") is not None:
            self.instance.version = self.cleaned_data["loaded_version"] + 1
        return super().save(commit=commit)


def last_change(card):
    """{"who": editor, "when": local time} of the card's latest change, for the messages that name it."""
    latest = card.history.select_related("history_user").first()
    who = (latest.history_user.get_username() if latest and latest.history_user else "") or gettext("jemand anderem")
    when = formats.date_format(timezone.localtime(latest.history_date), "DATETIME_FORMAT") if latest else ""
    return {"who": who, "when": when}


def conflict_message(current):
    """The German message shown when a card changed after the form was loaded, naming the other change."""
    return gettext(
        "Diese Karte wurde inzwischen von %(who)s geändert (%(when)s). Ihre Änderungen wurden nicht gespeichert, "
        "damit nichts überschrieben wird. Jetzt gespeichert ist: „%(text)s“ (%(station)s, %(kind)s, Position "
        "%(position)s). Bitte laden Sie die Seite neu und tragen Sie Ihre Änderung dann erneut ein."
    ) % {
        **last_change(current),
        "text": current.text,
        "station": current.station,
        "kind": current.get_kind_display(),
        "position": current.position,
    }


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund für das Zurückziehen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Der Grund steht in der Versionsgeschichte und öffentlich im Änderungsprotokoll der Konferenz."),
    )


class ReportForm(forms.Form):
    """A reader's report; a honeypot and a signed timestamp keep simple bots out without third parties."""

    MIN_SECONDS = 3
    MAX_SECONDS = 24 * 60 * 60
    TOKEN_SALT = "results.report"

    message = forms.CharField(
        label=_("Ihre Nachricht"),
        help_text=_("Was ist falsch, und wie sollte es richtig heißen?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    name = forms.CharField(label=_("Ihr Name (freiwillig)"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse (freiwillig)"),
        required=False,
        help_text=_("Nur für Rückfragen. Name und Adresse löschen wir, sobald die Meldung erledigt ist."),
    )
    # The honeypot: hidden from people (and screen readers), filled in by bots.
    homepage = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(widget=forms.HiddenInput)

    @classmethod
    def make_token(cls, issued=None):
        return signing.dumps(time.time() if issued is None else issued, salt=cls.TOKEN_SALT)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"token": self.make_token()})
        super().__init__(*args, **kwargs)

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("homepage"))

    def clean_token(self):
        try:
            issued = float(signing.loads(self.cleaned_data["token"], salt=self.TOKEN_SALT, max_age=self.MAX_SECONDS))
        except (signing.BadSignature, TypeError, ValueError):
            issued = None
        age = time.time() - issued if issued is not None else None
        if age is None or age > self.MAX_SECONDS:
            raise forms.ValidationError(
                gettext("Das Formular ist abgelaufen. Bitte senden Sie es noch einmal ab."), code="expired"
            )
        if age < self.MIN_SECONDS:
            raise forms.ValidationError(
                gettext(
                    "Das ging sehr schnell. Bitte prüfen Sie Ihre Angaben und senden Sie das Formular noch einmal ab."
                ),
                code="too_fast",
            )
        return self.cleaned_data["token"]

    @staticmethod
    def rate_limit_message():
        return gettext(
            "Von Ihrer Adresse kamen in der letzten Stunde schon viele Meldungen. Bitte versuchen Sie es später noch "
            "einmal."
        )

    def refresh_token(self):
        """Give a re-rendered form a fresh token, so the next submission can pass."""
        self.data = self.data.copy()
        self.data["token"] = self.make_token()
