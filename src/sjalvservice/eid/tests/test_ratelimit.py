"""The login-start limit holds across processes, and sessions never live in one process's
cache in production."""

import os
import subprocess
import sys
import time

from django.core.checks import Error
from django.test import override_settings

from sjalvservice.core import ratelimit
from sjalvservice.core.models import RateLimitWindow
from sjalvservice.eid.checks import check_sessions_are_shared

COUNT_IN_A_PROCESS = """
import django
django.setup()
from sjalvservice.core import ratelimit
print(sum(ratelimit.allow("login-start:192.0.2.7", 10) for _ in range(8)))
"""


def run_python(code, environ):
    return subprocess.Popen(
        [sys.executable, "-c", code], env=environ, stdout=subprocess.PIPE, text=True
    )


def test_two_processes_share_one_count(tmp_path):
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sjalvservice.settings",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        # A cache of each process's own: the count must not be kept there.
        "CACHE_URL": "locmem://",
    }
    environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(
        [sys.executable, "-m", "sjalvservice", "migrate", "-v0"], env=environ, check=True
    )
    # Eight attempts in each of two processes at once, against a limit of ten: ten get
    # through between them (with a count per process, all sixteen would). The two must
    # fall in the same minute, so do not start just before one ends.
    while time.time() % 60 > 50:
        time.sleep(1)
    processes = [run_python(COUNT_IN_A_PROCESS, environ) for _ in range(2)]
    allowed = [int(process.communicate(timeout=120)[0].strip()) for process in processes]
    assert sum(allowed) == 10, allowed


def test_the_limit_counts_per_key_and_minute(db):
    assert all(ratelimit.allow("login-start:a", 3) for _ in range(3))
    assert not ratelimit.allow("login-start:a", 3)
    assert ratelimit.allow("login-start:b", 3)
    # The key is stored as a hash, never as the client address it holds.
    assert not RateLimitWindow.objects.filter(key__contains="login-start").exists()


def test_tick_forgets_old_minutes(db):
    now = int(time.time() // 60)
    RateLimitWindow.objects.create(key="gammal", window=now - 5, count=3)
    RateLimitWindow.objects.create(key="nyss", window=now - 1, count=3)
    from django.core.management import call_command

    call_command("tick", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert set(RateLimitWindow.objects.values_list("key", flat=True)) == {"nyss"}


@override_settings(
    PRODUCTION=True,
    SESSION_ENGINE="django.contrib.sessions.backends.cache",
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
)
def test_sessions_in_a_per_process_cache_stop_a_production_start():
    (error,) = check_sessions_are_shared(None)
    assert isinstance(error, Error)
    assert error.id == "eid.E004"


@override_settings(
    PRODUCTION=True,
    SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}},
)
def test_sessions_in_redis_are_fine():
    assert check_sessions_are_shared(None) == []


@override_settings(PRODUCTION=False, SESSION_ENGINE="django.contrib.sessions.backends.cache")
def test_the_development_defaults_are_not_refused():
    assert check_sessions_are_shared(None) == []
