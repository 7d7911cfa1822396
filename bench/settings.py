"""The production settings with one difference: static files without a hashed manifest.

bench/run.py uses this module only when ``collectstatic`` fails with the production storage
(a vendored file referring to a file that is missing, for instance), so that the pages can
still be measured; the run's JSON and printout say so. Serving is the same (WhiteNoise).
"""

from helpdesk.settings import *  # noqa: F403
from helpdesk.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
