"""A `replica` database alias for the router tests, mirroring the test database.

Added while this folder is collected — before the test databases are set up —
so Django's test runner itself points it at the test database
(`TEST: {"MIRROR": "default"}`), exactly as config/settings.py configures a
real replica from DATABASE_REPLICA_URL. No router is installed here: the
alias is idle unless a test turns the router on.
"""

import copy

from django.conf import settings
from django.db import connections


def _add_replica_alias() -> None:
    if "replica" in connections.settings:
        return
    replica = copy.deepcopy(connections.settings["default"])
    replica["TEST"] = {**replica.get("TEST", {}), "MIRROR": "default"}
    settings.DATABASES["replica"] = replica
    connections.settings["replica"] = replica


_add_replica_alias()
