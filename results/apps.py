from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Ergebnisse")

    def ready(self):
        import results.sessions  # noqa: F401 (stamps each login's session)
        from results import signals

        signals.connect_page_cache()
