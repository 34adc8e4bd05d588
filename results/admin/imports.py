"""„Aus Tabelle importieren“: upload a spreadsheet, see what would change, confirm. Nothing changes before that."""

import posixpath

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from results import spreadsheet
from results.models import Card, Conference
from results.text import word_diff

SESSION_KEY = "card_import"


def slug_taken(slug):
    """Whether /<slug>/ is a page of its own ("suche", "impressum" …) or a language prefix ("en")."""
    if slug in dict(settings.LANGUAGES):
        return True
    # The public URLs are the default language's, whatever language the admin speaks: under English they have
    # an "en/" prefix, and /<slug>/ would not resolve at all.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            return resolve(f"/{slug}/").url_name != "conference"
        except Resolver404:
            return False


class UploadForm(forms.Form):
    conference = forms.ModelChoiceField(
        Conference.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Konferenz"),
        empty_label=_("– neue Konferenz –"),
    )
    new_slug = forms.SlugField(
        label=_("Kürzel einer neuen Konferenz"),
        required=False,
        max_length=80,
        help_text=_("Nur für eine neue Konferenz, z. B. „esslingen-2027“; sie erscheint unter /esslingen-2027/."),
    )
    file = forms.FileField(label=_("Datei (XLSX oder CSV)"))

    def clean_new_slug(self):
        slug = self.cleaned_data["new_slug"]
        if slug and slug_taken(slug):
            raise forms.ValidationError(gettext("Dieses Kürzel ist für eine Seite des Archivs vergeben."))
        return slug

    def clean(self):
        data = super().clean()
        if not data.get("conference") and not data.get("new_slug"):
            raise forms.ValidationError(gettext("Wählen Sie eine Konferenz oder geben Sie das Kürzel einer neuen an."))
        if not data.get("conference") and Conference.objects.filter(slug=data.get("new_slug")).exists():
            self.add_error("new_slug", gettext("Eine Konferenz mit diesem Kürzel gibt es schon: Wählen Sie sie oben."))
        return data


def _preview_context(plan):
    changed = []
    for card, row, names in plan.changed:
        others = [
            (
                Card._meta.get_field(name).verbose_name,
                spreadsheet.shown(getattr(card, name)),
                spreadsheet.shown(row[name]),
            )
            for name in names
            if name != "text"
        ]
        changed.append(
            {"card": card, "row": row, "diff": "text" in names and word_diff(card.text, row["text"]), "others": others}
        )
    values = [(Conference._meta.get_field(name).verbose_name, value) for name, value in plan.conference_values.items()]
    return {"plan": plan, "changed": changed, "conference_values": values, "fingerprint": plan.fingerprint()}


def import_view(model_admin, request):
    """Upload -> preview (rows kept in the session) -> confirm, which checks everything again against the database."""
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": gettext("Aus Tabelle importieren"),
        "opts": Card._meta,
        "media": model_admin.media,
    }
    stored = request.session.get(SESSION_KEY)
    if request.method == "POST" and "confirm" in request.POST:
        if not stored:
            messages.error(request, gettext("Die Vorschau ist abgelaufen; laden Sie die Datei bitte noch einmal hoch."))
            return HttpResponseRedirect(request.path)
        with transaction.atomic():
            plan = _checked_plan(request, stored)
            if not plan.problems and request.POST.get("fingerprint") == plan.fingerprint():
                conference = spreadsheet.apply(plan, request.user, withdraw_missing=bool(request.POST.get("withdraw")))
                del request.session[SESSION_KEY]
                messages.success(request, gettext("Importiert: %(summary)s.") % {"summary": plan.counts()})
                url = reverse("admin:results_card_changelist") + f"?table__conference__id__exact={conference.pk}"
                return HttpResponseRedirect(url)
        if plan.problems:  # the database changed under the preview so that the file no longer fits
            del request.session[SESSION_KEY]
            context |= {"problems": plan.problems, "form": UploadForm()}
            return TemplateResponse(request, "admin/results/card/import.html", context)
        context["stale"] = True
        return TemplateResponse(request, "admin/results/card/import.html", context | _preview_context(plan))
    form = UploadForm(
        request.POST or None, request.FILES or None, initial={"conference": request.GET.get("conference")}
    )
    if request.method == "POST" and form.is_valid():
        request.session.pop(SESSION_KEY, None)  # a new upload replaces any earlier preview
        upload = form.cleaned_data["file"]
        # The name goes into the change reason (100 characters at most) and is shown: no path, no length.
        stored = {
            "slug": (form.cleaned_data["conference"] and form.cleaned_data["conference"].slug)
            or form.cleaned_data["new_slug"],
            "filename": posixpath.basename(upload.name.replace("\\", "/"))[:80],
        }
        try:
            stored["sheets"] = spreadsheet.read_file(stored["filename"], upload.read(spreadsheet.limit() + 1))
        except spreadsheet.SpreadsheetError as error:
            context["problems"] = error.problems
        else:
            plan = _checked_plan(request, stored)
            if not plan.problems:
                request.session[SESSION_KEY] = stored
                return TemplateResponse(request, "admin/results/card/import.html", context | _preview_context(plan))
            context["problems"] = plan.problems
    context["form"] = form
    return TemplateResponse(request, "admin/results/card/import.html", context)


def _checked_plan(request, stored):
    plan = spreadsheet.plan(stored["slug"], stored["sheets"], stored["filename"])
    if plan.conference is None and not request.user.has_perm("results.add_conference"):
        plan.problems.append(spreadsheet.Problem(message=gettext("Sie dürfen keine Konferenz anlegen.")))
    return plan
