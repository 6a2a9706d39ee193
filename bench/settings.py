"""The production settings plus one minimal view, for the HTTP benchmark's baseline.

`BENCH_CACHE_PREFIX` puts a run's cache keys under its own prefix: runs share
the machine's Redis, and each has its own database (so its own ids).
"""

import os

from config.settings import *  # noqa: F403
from config.settings import CACHES

ROOT_URLCONF = "bench.urls"
if os.environ.get("BENCH_CACHE_PREFIX"):
    CACHES["default"]["KEY_PREFIX"] = os.environ["BENCH_CACHE_PREFIX"]
