"""Settings for the test suite.

Runs on the embedded default unless ``DATABASE_URL`` / ``CELERY_BROKER_URL`` point at real
servers, as CI does.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, DATABASES, env

DEBUG = False
FULCRUM_DEMO_TOOLS = True
# Password hashing dominates test time; argon2 itself is covered by check --deploy.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("FULCRUM_TEST_MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media"))
FULCRUM_LOCAL_KEY_FILE = BASE_DIR / "var" / "test-keys" / "local.key"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
LANGUAGE_CODE = "en"
# Tasks run in-process so each test sees its effects; the real-worker round trip test switches
# this off for itself when CELERY_BROKER_URL names a broker.
CELERY_TASK_ALWAYS_EAGER = True
FULCRUM_REAL_BROKER = not env.str("CELERY_BROKER_URL", default="memory://").startswith("memory://")
# No connection pool under test: live-server and worker threads open their own connections, and
# a pooled one left open would stop pytest from dropping the test database at the end.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)
