"""Typed readers for settings taken from environment variables.

Each reader fails loudly, naming the variable, when a value cannot be read:
a typo in production configuration must stop the process at start-up, not
surface later as odd behaviour.
"""

import os
from urllib.parse import parse_qsl, unquote, urlsplit


class ImproperlyConfiguredEnv(ValueError):
    pass


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfiguredEnv(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfiguredEnv(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfiguredEnv(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


_ENGINES = {
    "sqlite": "django.db.backends.sqlite3",
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
}


def database_from_url(url: str, *, base_dir: str) -> dict[str, object]:
    """Read `sqlite:///path` or `postgres://user:pass@host:port/name?options`."""
    parts = urlsplit(url)
    engine = _ENGINES.get(parts.scheme)
    if engine is None:
        raise ImproperlyConfiguredEnv(
            f"DATABASE_URL scheme {parts.scheme!r} is not supported (use sqlite or postgres)."
        )
    if parts.scheme == "sqlite":
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not path:
            raise ImproperlyConfiguredEnv("DATABASE_URL sqlite:/// needs a file path.")
        if not os.path.isabs(path):
            path = os.path.join(base_dir, path)
        return {"ENGINE": engine, "NAME": path, "OPTIONS": {"transaction_mode": "IMMEDIATE"}}
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfiguredEnv("DATABASE_URL for PostgreSQL needs a database name.")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfiguredEnv("DATABASE_URL has an invalid port.") from None
    return {
        "ENGINE": engine,
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": _postgres_options(dict(parse_qsl(parts.query))),
    }


# PostgreSQL compiles a query with LLVM once its estimated cost passes
# jit_above_cost. Our aggregate queries (the oversight dashboard's) are
# estimated far above it yet run in milliseconds: compiling them took 230 ms
# of a 240 ms query at the source article's scale. An application whose
# queries are all short gains nothing from JIT, so it is off for our sessions.
NO_JIT = "-c jit=off"


def _postgres_options(options: dict[str, str]) -> dict[str, str]:
    """The URL's connection options, with JIT turned off unless the URL says otherwise."""
    given = options.get("options", "")
    if "jit" not in given:
        options["options"] = f"{NO_JIT} {given}".strip()
    return options
