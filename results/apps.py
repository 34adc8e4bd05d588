from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Ergebnisse")

    def ready(self):
        import results.sessions  # noqa: F401 (stamps each login's session)
        from results import pagecache, signals

        signals.connect_page_cache()
        # Once per migrate (this app only): every release and `make run`/`make serve` migrate.
        post_migrate.connect(pagecache.new_release, sender=self, dispatch_uid="results.page-cache-release")
