"""Every page type of the archive, for the checks that visit them all (axe, reflow, HTML validity)."""

from django.urls import reverse
from django.utils.translation import override

CONF = "winnenden-2019"
TABLE_SLUG = "verstetigung-intman-nachhaltigkeit"


def page_paths(language):
    """(name, path) of one page of every type in one UI language; paths include their query."""
    with override(language):
        cards = reverse("results:cards", kwargs={"conf": CONF})
        search = reverse("results:search")
        return [
            ("home", reverse("results:home")),
            ("conference", reverse("results:conference", kwargs={"conf": CONF})),
            ("table", reverse("results:table", kwargs={"conf": CONF, "slug": TABLE_SLUG})),
            ("station", reverse("results:station", kwargs={"conf": CONF, "number": 1})),
            ("tables", reverse("results:tables", kwargs={"conf": CONF})),
            ("cards", cards),
            ("cards filtered", cards + "?station=3&art=helfer&q=Netzwerk"),
            ("cards no result", cards + "?q=Zzyzxwort"),
            ("cards invalid", cards + "?station=9"),
            ("search", search + "?q=Dolmetscher"),
            ("search no result", search + "?q=Zzyzxwort"),
            ("source", reverse("results:source", kwargs={"conf": CONF})),
            ("data", reverse("results:data", kwargs={"conf": CONF})),
            ("sign", reverse("results:table-sign", kwargs={"conf": CONF, "slug": TABLE_SLUG})),
            ("signs", reverse("results:signs", kwargs={"conf": CONF})),
            ("report", reverse("results:report", kwargs={"conf": CONF}) + "?karte=36"),
            ("accessibility", reverse("results:accessibility")),
            ("easy language", reverse("results:easy-language")),
            ("imprint", reverse("results:imprint")),
            ("404", reverse("results:home") + "gibt-es-nicht/tische/nirgends/"),
            ("glossary", reverse("results:glossary", kwargs={"conf": CONF})),
            ("actors", reverse("results:actors", kwargs={"conf": CONF})),
            ("topics", reverse("results:topics", kwargs={"conf": CONF})),
            ("changes", reverse("results:changes", kwargs={"conf": CONF})),
        ]


# Pages kept out of search engines' indexes (<meta name="robots" content="noindex">): forms, their
# results, filtered lists and errors. Lighthouse scores the others.
NOINDEX = {"cards filtered", "cards no result", "cards invalid", "search", "search no result", "report", "404"}
