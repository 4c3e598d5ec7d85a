"""Configuration classes, read from the environment."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("RUAMKAN_INSTANCE", BASE_DIR / "instance"))

# Not a secret: only ever used by Default/Test configs, and Production refuses it.
DEV_SECRET = "dev-only-not-secret"


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Embedded default: SQLite under instance/, demo-friendly, never for production."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'ruamkan.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    INSTANCE_DIR = str(INSTANCE_DIR)
    # A PostgreSQL streaming replica for read-only oversight pages and exports (app/core/replica.py); unset or
    # not answering, they read the primary.
    DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL")
    DATABASE_REPLICA_TIMEOUT = int(os.environ.get("DATABASE_REPLICA_TIMEOUT", "2"))  # seconds to connect

    # Sessions: HttpOnly and SameSite always; Secure where HTTPS is guaranteed (production).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    # Server-side sessions (app/security/sessions.py): idle and absolute limits for everyone, and the
    # longer "keep me signed in" that only council members get (it never skips a second factor).
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "120"))
    SESSION_HOURS = int(os.environ.get("SESSION_HOURS", "12"))
    SESSION_REMEMBER_DAYS = int(os.environ.get("SESSION_REMEMBER_DAYS", "30"))
    PERMANENT_SESSION_LIFETIME = SESSION_REMEMBER_DAYS * 86400  # the cookie of a remembered session
    WTF_CSRF_TIME_LIMIT = None  # a member may keep a form open for hours on a weak signal
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_MB", "60")) * 1024 * 1024
    JSON_MAX_BYTES = int(os.environ.get("JSON_MAX_BYTES", str(1024 * 1024)))  # a report is a few kB
    JSON_MAX_DEPTH = int(os.environ.get("JSON_MAX_DEPTH", "32"))  # deeper nesting crashes json.loads

    BABEL_DEFAULT_LOCALE = "th"
    BABEL_DEFAULT_TIMEZONE = "Asia/Bangkok"
    LANGUAGES = ("th", "en")

    # Counters shared by every worker and server: the app's database by default, Redis when set
    # (redis://host:6379). memory:// counts per process, so N workers let N times the limit through.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "database://")
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "ruamkan")  # deployments sharing one Redis
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    # How many reverse proxies in front set X-Forwarded-For/-Proto/-Host (0: trust none of them).
    TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))

    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "ruamkan-demo")
    # Fernet key for sealing residents' personal data; dev/test derive one from SECRET_KEY.
    SEALING_KEY = os.environ.get("SEALING_KEY")

    ROUTING_NEAR_BOUNDARY_M = float(os.environ.get("ROUTING_NEAR_BOUNDARY_M", "100"))
    ROUTING_MAX_NEAREST_M = float(os.environ.get("ROUTING_MAX_NEAREST_M", "30000"))
    # Doubts about a pin (app/reports/place_checks.py): a photo taken farther than this from the pin; a pin in no
    # tambon but within this of one counts as at sea (beyond it, as outside the province); simplified coastlines
    # are forgiven this much.
    PLACE_PHOTO_MAX_M = float(os.environ.get("PLACE_PHOTO_MAX_M", "1000"))
    PLACE_OFFSHORE_MAX_M = float(os.environ.get("PLACE_OFFSHORE_MAX_M", "100000"))
    PLACE_COAST_TOLERANCE_M = float(os.environ.get("PLACE_COAST_TOLERANCE_M", "150"))
    # Map tiles come from a configurable server; pages work without them.
    TILE_URL = os.environ.get("TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    TILE_ATTRIBUTION = os.environ.get("TILE_ATTRIBUTION", "© OpenStreetMap contributors")
    # Address search (geopy). Nominatim by default; point it at your own instance in production.
    GEOCODER_DOMAIN = os.environ.get("GEOCODER_DOMAIN", "nominatim.openstreetmap.org")
    GEOCODER_SCHEME = os.environ.get("GEOCODER_SCHEME", "https")
    GEOCODER_USER_AGENT = os.environ.get("GEOCODER_USER_AGENT", "ruamkan/1.0 (PAO council reports)")
    GEOCODER_TIMEOUT = float(os.environ.get("GEOCODER_TIMEOUT", "5"))
    GEOCODER_MIN_DELAY = float(os.environ.get("GEOCODER_MIN_DELAY", "1.0"))
    GEOCODE_RATE_LIMIT = os.environ.get("GEOCODE_RATE_LIMIT", "20 per minute")
    # Photos: count and size per report; files live under the instance folder unless set.
    PHOTO_MAX_COUNT = int(os.environ.get("PHOTO_MAX_COUNT", "5"))
    PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_MB", "10")) * 1024 * 1024
    PHOTO_STORAGE_DIR = os.environ.get("PHOTO_STORAGE_DIR")
    TRACK_RATE_LIMIT = os.environ.get("TRACK_RATE_LIMIT", "20 per minute")
    # Photos an unsent intake form keeps on the server between its round trips (app/reports/staging.py).
    STAGED_PHOTO_HOURS = float(os.environ.get("STAGED_PHOTO_HOURS", "24"))
    # The resident's voice on the tracking page (app/reports/resident.py; README "The resident's voice").
    RESIDENT_POST_RATE_LIMIT = os.environ.get("RESIDENT_POST_RATE_LIMIT", "30 per hour")
    RESIDENT_MESSAGES_PER_HOUR = int(os.environ.get("RESIDENT_MESSAGES_PER_HOUR", "5"))
    RESIDENT_MESSAGES_PER_DAY = int(os.environ.get("RESIDENT_MESSAGES_PER_DAY", "20"))
    RESIDENT_WAIT_MAX_HOURS = float(os.environ.get("RESIDENT_WAIT_MAX_HOURS", "72"))
    FEEDBACK_MIN_ANSWERS = int(os.environ.get("FEEDBACK_MIN_ANSWERS", "5"))

    # Delivery (app/delivery): outbox worker, e-mail, signed webhooks, LINE.
    # The address residents and messages reach the service at, e.g. https://ruamkan.songkhla.go.th. Unset (the
    # demo), pages build links from the host the request came to; production must set it (messages have no request).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
    OUTBOX_BACKOFF_BASE = float(os.environ.get("OUTBOX_BACKOFF_BASE", "30"))
    OUTBOX_BACKOFF_CAP = float(os.environ.get("OUTBOX_BACKOFF_CAP", "21600"))
    OUTBOX_BACKOFF_JITTER = 0.2
    OUTBOX_BATCH_SIZE = 20
    OUTBOX_LEASE_SECONDS = 600
    OUTBOX_FAILING_ATTEMPTS = 3  # pending messages with this many attempts show on /delivery/failures
    WORKER_INTERVAL = float(os.environ.get("WORKER_INTERVAL", "5"))
    SMTP_HOST = os.environ.get("SMTP_HOST")  # unset: e-mail is "not configured"
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_USER = os.environ.get("SMTP_USER")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
    SMTP_STARTTLS = _bool("SMTP_STARTTLS", False)
    SMTP_TIMEOUT = float(os.environ.get("SMTP_TIMEOUT", "10"))
    MAIL_FROM = os.environ.get("MAIL_FROM", "Ruamkan <no-reply@ruamkan.invalid>")
    WEBHOOK_TIMEOUT = float(os.environ.get("WEBHOOK_TIMEOUT", "10"))
    LINE_API_BASE = os.environ.get("LINE_API_BASE", "https://api.line.me")
    LINE_CHANNEL_TOKEN = os.environ.get("LINE_CHANNEL_TOKEN")
    LINE_CHANNEL_SECRET = os.environ.get("LINE_CHANNEL_SECRET")  # verifies webhook signatures
    LINE_BOT_BASIC_ID = os.environ.get("LINE_BOT_BASIC_ID", "")  # e.g. @123abcde, for add-friend links
    LINE_TIMEOUT = float(os.environ.get("LINE_TIMEOUT", "10"))
    MOU_EXPIRY_NOTICE_DAYS = os.environ.get("MOU_EXPIRY_NOTICE_DAYS", "60,30,7")
    # API (app/api): per-token rate limit; public Open311 points rounded (3 decimals ≈ 100 m, drugs 2 ≈ 1 km).
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120 per minute")
    OPEN311_ROUNDING_DECIMALS = int(os.environ.get("OPEN311_ROUNDING_DECIMALS", "3"))
    OPEN311_DRUG_ROUNDING_DECIMALS = int(os.environ.get("OPEN311_DRUG_ROUNDING_DECIMALS", "2"))
    OPEN311_CONTACT = os.environ.get("OPEN311_CONTACT", "")
    # Oversight (app/oversight): no hotspot cell shows fewer reports than this; signed MOU documents.
    HOTSPOT_MIN_COUNT = int(os.environ.get("HOTSPOT_MIN_COUNT", "5"))
    # The most reports a CSV downloaded at once may hold (about 50 MB): a larger one outlasts a server's timeout
    # and is prepared in the background instead; EXPORT_MAX_ROWS is only a sanity cap on those.
    EXPORT_DIRECT_ROWS = int(os.environ.get("EXPORT_DIRECT_ROWS", "200000"))
    EXPORT_MAX_ROWS = int(os.environ.get("EXPORT_MAX_ROWS", "10000000"))
    MOU_DOC_MAX_BYTES = int(os.environ.get("MOU_DOC_MAX_MB", "20")) * 1024 * 1024
    # Signed MOU documents live in the file store (STORAGE_URL) under mou/. This is only the folder where they lived
    # before, read by `flask storage import-mou-documents` (default instance/mou_documents).
    MOU_DOCUMENT_DIR = os.environ.get("MOU_DOCUMENT_DIR")
    # SLA (app/triage): overdue work goes to the commander, then to the PAO coordinator after this long.
    SLA_ESCALATE_COORDINATOR_HOURS = float(os.environ.get("SLA_ESCALATE_COORDINATOR_HOURS", "24"))
    SLA_CHECK_BATCH = int(os.environ.get("SLA_CHECK_BATCH", "1000"))
    # Reports per page of the coordinator queue; each carries a forward form, so keep a page light.
    COORDINATOR_PAGE_SIZE = int(os.environ.get("COORDINATOR_PAGE_SIZE", "50"))
    # Accounts (app/accounts): two-factor sign-in for these roles, lockout, password policy.
    TWO_FACTOR_ROLES = tuple(r.strip() for r in os.environ.get(
        "TWO_FACTOR_ROLES", "desk_officer,station_commander,pao_coordinator,admin").split(",") if r.strip())
    TOTP_ISSUER = os.environ.get("TOTP_ISSUER", "Ruamkan")
    LOCKOUT_THRESHOLD = int(os.environ.get("LOCKOUT_THRESHOLD", "5"))  # failed sign-ins in a row
    PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "10"))
    INVITATION_HOURS = int(os.environ.get("INVITATION_HOURS", "72"))  # how long an invitation link works
    # Submissions (form, JSON API, Open311) per signed-in user or API key.
    SUBMIT_RATE_LIMIT = os.environ.get("SUBMIT_RATE_LIMIT", "60 per hour")
    # Retention (PDPA): residents' contacts and sealed photo originals, days after a report closes.
    RETENTION_CONTACT_DAYS = int(os.environ.get("RETENTION_CONTACT_DAYS", "180"))
    RETENTION_PHOTO_ORIGINAL_DAYS = int(os.environ.get("RETENTION_PHOTO_ORIGINAL_DAYS", "180"))
    # PDPA access exports per coordinator: each one unseals contacts, so a burst is suspicious.
    PDPA_EXPORT_RATE_LIMIT = os.environ.get("PDPA_EXPORT_RATE_LIMIT", "30 per hour")
    # File storage (app/core/storage.py) of photos, exports and signed MOU documents: file:///path, or
    # s3://bucket/prefix for several servers; unset, the folder PHOTO_STORAGE_DIR or instance/photos.
    # S3 credentials come from the standard AWS_* variables.
    STORAGE_URL = os.environ.get("STORAGE_URL")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")  # unset: AWS itself
    STORAGE_TIMEOUT = float(os.environ.get("STORAGE_TIMEOUT", "5"))  # seconds to connect before answering 503
    # Background exports (app/oversight/export_jobs.py): files kept this long; download links valid this long.
    EXPORT_KEEP_HOURS = float(os.environ.get("EXPORT_KEEP_HOURS", "24"))
    EXPORT_LINK_MINUTES = int(os.environ.get("EXPORT_LINK_MINUTES", "60"))


class TestConfig(Config):
    """Isolated, fast, deterministic: in-memory SQLite unless TEST_DATABASE_URL says otherwise."""

    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False  # tests that check CSRF switch it on for themselves
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    LOGIN_RATE_LIMIT = "10000 per minute"  # tests that check the limit lower it for themselves
    SUBMIT_RATE_LIMIT = "10000 per minute"  # user ids restart in every test; counters outlive them
    PDPA_EXPORT_RATE_LIMIT = "10000 per minute"
    DEMO_PASSWORD = "demo-pass-123"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing for tests only
    # a developer's environment must not leak real delivery targets into tests
    SMTP_HOST = None
    LINE_CHANNEL_TOKEN = None
    LINE_CHANNEL_SECRET = None
    PUBLIC_BASE_URL = ""
    STORAGE_URL = None  # each test session keeps its files under its own instance folder


class ProductionConfig(Config):
    """Production: every secret must come from the environment."""

    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def check(cls):
        """Refuse to start with a default secret, no database or no sealing key."""
        missing = []
        if not os.environ.get("SECRET_KEY") or os.environ["SECRET_KEY"] == DEV_SECRET:
            missing.append("SECRET_KEY")
        if not os.environ.get("DATABASE_URL"):
            missing.append("DATABASE_URL")
        if not os.environ.get("SEALING_KEY"):
            missing.append("SEALING_KEY")
        if not cls.PUBLIC_BASE_URL:
            missing.append("PUBLIC_BASE_URL (the https:// address residents and messages link to)")
        if missing:
            raise RuntimeError(
                "ProductionConfig refuses to start without: " + ", ".join(missing)
            )
        if cls.RATELIMIT_STORAGE_URI.startswith("memory:"):
            raise RuntimeError(
                "ProductionConfig refuses RATELIMIT_STORAGE_URI=memory://: each worker process would keep its "
                "own counts, so with several workers or servers every limit lets several times its number "
                "through. Use redis://HOST:6379 (recommended for several servers) or database:// (the default: "
                "the counters live in the application's database)."
            )


CONFIGS = {"default": Config, "test": TestConfig, "production": ProductionConfig}
