from django.conf import settings


def test_settings_are_production_like_in_tests():
    assert settings.DEBUG is False
    assert settings.LANGUAGE_CODE == "zh-hans"
