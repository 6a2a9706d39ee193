"""The production settings plus one minimal view, for the HTTP benchmark's baseline."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
