"""The card list's filters (by table, station, kind, correction state and search) and the home page's."""

import django_filters
from django import forms
from django.db.models import Count, Max, Min
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from results.glossary import current_glossary
from results.models import CORRECTED, Card, Conference, Kind, Station, ThemeTable
from results.search import current_synonyms, parse, search_cards

QUERY_MAX_LENGTH = 200


class TableField(forms.MultipleChoiceField):
    """Tables by slug or by number (the short links use numbers); cleans to slugs."""

    def __init__(self, *args, numbers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.numbers = numbers or {}

    def to_python(self, value):
        return [self.numbers.get(item, item) for item in super().to_python(value)]


class YesNoField(forms.Field):
    widget = forms.Select(choices=[("", _("alle")), ("ja", _("ja")), ("nein", _("nein"))])
    default_error_messages = {"invalid": _("Bitte „ja“ oder „nein“ wählen.")}
    values = {"ja": True, "true": True, "nein": False, "false": False}

    def to_python(self, value):
        value = (value or "").strip().lower()
        if not value:
            return None
        if value not in self.values:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return self.values[value]


class TableFilter(django_filters.MultipleChoiceFilter):
    field_class = TableField


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


class CardFilter(django_filters.FilterSet):
    tisch = TableFilter(
        field_name="table__slug",
        distinct=False,
        label=_("Thementisch"),
        error_messages={"invalid_choice": _("„%(value)s“ ist kein Thementisch dieser Konferenz.")},
    )
    station = django_filters.MultipleChoiceFilter(
        field_name="station__number",
        distinct=False,
        label=_("Station"),
        error_messages={"invalid_choice": _("„%(value)s“ ist keine Station dieser Konferenz.")},
    )
    art = django_filters.MultipleChoiceFilter(
        field_name="kind",
        distinct=False,
        label=_("Art"),
        choices=Kind.choices,
        error_messages={"invalid_choice": _("„%(value)s“ ist keine Art von Ergebnis.")},
    )
    korrigiert = YesNoFilter(method="filter_corrected", label=_("Von der Redaktion korrigiert"))
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Suchbegriff"),
        max_length=QUERY_MAX_LENGTH,
        error_messages={"max_length": _("Der Suchbegriff darf höchstens %(limit_value)d Zeichen lang sein.")},
    )

    # facet (and the filter it ignores) -> the value each card is counted under
    facets = {
        "tisch": "table__number",
        "station": "station__number",
        "art": "kind",
        "korrigiert": "is_corrected",
    }

    class Meta:
        model = Card
        fields = ["tisch", "station", "art", "korrigiert", "q"]

    def __init__(self, data=None, queryset=None, *, conference=None, **kwargs):
        self.conference = conference
        if queryset is None:
            queryset = Card.objects.all()
        queryset = queryset.filter(withdrawn=False)
        tables = ThemeTable.objects.order_by("number")
        stations = Station.objects.order_by("number")
        if conference is not None:
            queryset = queryset.filter(table__conference=conference)
            tables = tables.filter(conference=conference)
            stations = stations.filter(conference=conference)
        self.tables = list(tables.values_list("number", "slug", "title"))
        self.station_numbers = list(dict.fromkeys(stations.values_list("number", flat=True)))
        super().__init__(data, queryset=queryset, **kwargs)
        table_field = self.filters["tisch"]
        table_field.extra["choices"] = [(slug, f"{number}. {title}") for number, slug, title in self.tables]
        table_field.extra["numbers"] = {str(number): slug for number, slug, _title in self.tables}
        self.filters["station"].extra["choices"] = [
            (str(number), _("Station %(number)s") % {"number": number}) for number in self.station_numbers
        ]

    @property
    def qs(self):
        # An invalid filter shows the form's errors and no cards, never a
        # silently widened list.
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs

    def filter_corrected(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(CORRECTED) if value else queryset.exclude(CORRECTED)

    def filter_q(self, queryset, name, value):
        if not value.strip():
            return queryset
        return search_cards(queryset, self.search_query, conference=self.conference)

    @cached_property
    def search_query(self):
        """The parsed `q` (results.search.Query), read once for the list and all the facet counts; None without one."""
        q = self.form.cleaned_data.get("q", "") if self.is_bound and self.is_valid() else ""
        if not q.strip():
            return None
        return parse(q, self.glossary, current_synonyms())

    @cached_property
    def glossary(self):
        # The conference's glossary, as its pages mark it up; read once for the query, the list and its facets.
        return current_glossary(self.conference)

    def _filtered_except(self, facet):
        queryset = self.queryset
        if self.is_bound and self.is_valid():
            for name, value in self.form.cleaned_data.items():
                if name != facet:
                    queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def facet_counts(self):
        """Per facet, how many public cards each choice gives with the other filters kept: one query per facet."""
        counts = {
            "tisch": dict.fromkeys((number for number, _slug, _title in self.tables), 0),
            "station": dict.fromkeys(self.station_numbers, 0),
            "art": dict.fromkeys(Kind.values, 0),
            "korrigiert": {True: 0, False: 0},
        }
        for facet, field in self.facets.items():
            queryset = self._filtered_except(facet)
            if facet == "korrigiert":
                queryset = queryset.with_corrected()
            for value, count in queryset.values_list(field).annotate(n=Count("pk")).order_by():
                counts[facet][value] = count
        return counts


class ConferenceFilter(django_filters.FilterSet):
    """The home page's filters: by year and by place, the choices those the archive holds."""

    jahr = django_filters.ChoiceFilter(
        field_name="date__year",
        label=_("Jahr"),
        empty_label=_("alle"),
        error_messages={"invalid_choice": _("Aus dem Jahr „%(value)s“ gibt es keine Konferenz.")},
    )
    ort = django_filters.ChoiceFilter(
        field_name="city",
        label=_("Ort"),
        empty_label=_("alle"),
        error_messages={"invalid_choice": _("In „%(value)s“ gab es keine Konferenz.")},
    )

    class Meta:
        model = Conference
        fields = ["jahr", "ort"]

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        conferences = Conference.objects.order_by()
        # The years from the first conference to the last: MIN and MAX are cheap where a distinct
        # list of years calls SQLite's Python date function once per conference.
        span = conferences.aggregate(first=Min("date"), last=Max("date"))
        years = range(span["last"].year, span["first"].year - 1, -1) if span["first"] else []
        self.filters["jahr"].extra["choices"] = [(str(year), str(year)) for year in years]
        cities = conferences.order_by("city").values_list("city", flat=True).distinct()
        self.filters["ort"].extra["choices"] = [(city, city) for city in cities]

    @property
    def qs(self):
        # As CardFilter: an invalid filter lists nothing rather than everything.
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs
