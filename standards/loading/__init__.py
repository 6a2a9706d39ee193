"""Idempotent loading of reference data and sample standards from `fixtures/`.

Everything is matched by natural key and saved only when a value differs, so
loading the same files twice changes nothing — not even history rows.
"""
