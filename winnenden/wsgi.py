import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "winnenden.settings")

application = get_wsgi_application()

# Uploaded photos and PDFs are served before Django, like static files (results/media.py).
from results.media import serve_media  # noqa: E402 (needs the settings, configured above)

application = serve_media(application)
