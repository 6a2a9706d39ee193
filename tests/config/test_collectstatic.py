"""Production serves hashed, compressed static files: collectstatic must succeed."""

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_builds_the_manifest(tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    for name in ["vendor/bootstrap/bootstrap.min.css", "css/guide.css", "js/print.js"]:
        assert f'"{name}"' in manifest
