from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Ergebnisse")

    def ready(self):
        # For what they connect: sessions stamps each login's session, signals keep the
        # search index and the page cache in step with the data.
        from results import sessions, signals  # noqa: F401
