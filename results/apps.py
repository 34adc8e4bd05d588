from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Ergebnisse")

    def ready(self):
        import results.sessions  # stamps each login's session
        import results.signals  # noqa: F401 (connects the search index's signal handlers)
        from results import caching

        caching.connect_signals()
