import pytest


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Serve static files by name: tests do not run collectstatic for the hashed manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
