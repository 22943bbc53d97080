import pytest
from django.core.exceptions import ImproperlyConfigured

from sjalvservice.conf import Env, cache_from_url


def test_it_reads_booleans_in_the_usual_spellings():
    env = Env({"A": "yes", "B": "0", "C": " TRUE "})
    assert env.boolean("A", default=False) is True
    assert env.boolean("B", default=True) is False
    assert env.boolean("C", default=False) is True
    assert env.boolean("MISSING", default=True) is True


def test_it_rejects_a_boolean_it_does_not_understand():
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        Env({"DEBUG": "maybe"}).boolean("DEBUG", default=False)


def test_it_rejects_numbers_out_of_range_and_non_numbers():
    env = Env({"N": "2", "X": "ten"})
    assert env.integer("N", 5, minimum=1) == 2
    with pytest.raises(ImproperlyConfigured, match="below the minimum 3"):
        env.integer("N", 5, minimum=3)
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env.integer("X", 5)


def test_it_treats_an_empty_value_as_unset():
    assert Env({"NAME": "  "}).string("NAME", "default") == "default"


def test_it_insists_on_a_required_value():
    with pytest.raises(ImproperlyConfigured, match="SECRET must be set"):
        Env({}).string("SECRET", required=True)


def test_it_splits_lists_on_commas():
    assert Env({"HOSTS": "a.se, b.se,,"}).strings("HOSTS") == ["a.se", "b.se"]


def test_it_limits_choices():
    with pytest.raises(ImproperlyConfigured, match="must be one of: sv, en"):
        Env({"LANGUAGE_CODE": "de"}).choice("LANGUAGE_CODE", "sv", ("sv", "en"))


def test_it_requires_json_objects_to_be_objects():
    assert Env({"J": '{"location": "/data"}'}).json_object("J") == {"location": "/data"}
    with pytest.raises(ImproperlyConfigured, match="must be a JSON object"):
        Env({"J": "[1]"}).json_object("J")
    with pytest.raises(ImproperlyConfigured, match="not valid JSON"):
        Env({"J": "{"}).json_object("J")


def test_it_refuses_weak_secret_keys():
    with pytest.raises(ImproperlyConfigured, match="too weak"):
        Env({"SECRET_KEY": "short"}).secret_key("SECRET_KEY", default=None)
    with pytest.raises(ImproperlyConfigured, match="must be set in production"):
        Env({}).secret_key("SECRET_KEY", default=None)
    strong = "a-strong-random-key-" * 3
    assert Env({"SECRET_KEY": strong}).secret_key("SECRET_KEY", default=None) == strong


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache"),
        ("db://portal_cache", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_it_understands_cache_urls(url, backend):
    assert cache_from_url(url)["BACKEND"] == backend


def test_it_keeps_redis_location_and_options_apart():
    config = cache_from_url("redis://127.0.0.1:6379/1?socket_timeout=2")
    assert config["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert config["OPTIONS"] == {"socket_timeout": "2"}


def test_it_rejects_an_unknown_cache_scheme():
    with pytest.raises(ImproperlyConfigured, match="memcache://x"):
        cache_from_url("memcache://x")
