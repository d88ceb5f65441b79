"""Settings of Đơn thư, read from environment variables with safe development defaults.

Every key has a one-line comment. Production mode (``APP_ENV=production``) refuses to
start with the development secret key or the demo password (see ``app.production``).
"""

import os
from pathlib import Path

from flask_appbuilder.const import AUTH_DB

BASE_DIR = Path(__file__).resolve().parent

# The development secret; production refuses to start while it is in use.
DEV_SECRET_KEY = "dev-only-secret-key-change-me-never-in-production"
# The documented default password of the demo accounts (README).
DEFAULT_DEMO_PASSWORD = "DongThap@2026"


def _database_url() -> str:
    """Return DATABASE_URL, mapping plain postgresql:// URLs to the psycopg 3 driver."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'instance' / 'donthu.db'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


# development | production | test
APP_ENV = os.environ.get("APP_ENV", "development")
# Signs sessions and tokens; must be set in production.
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
# Database: SQLite file by default, PostgreSQL in production.
SQLALCHEMY_DATABASE_URI = _database_url()
# No event system overhead from Flask-SQLAlchemy.
SQLALCHEMY_TRACK_MODIFICATIONS = False
# Drop dead pooled connections (PostgreSQL restarts, idle timeouts). On PostgreSQL, no
# JIT compilation: the planner's cost of a scoped list on a million petitions triggers
# it, and compiling took 300 of a 350 ms query (the overdue task list, docs/benchmarks.md).
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
if SQLALCHEMY_DATABASE_URI.startswith("postgresql"):
    SQLALCHEMY_ENGINE_OPTIONS["connect_args"] = {"options": "-c jit=off"}
# How long costly figures (the dashboard's counts) are reused before being counted again,
# shared by every instance through the database (app/figures); 0 counts on every request.
FIGURE_CACHE_SECONDS = int(os.environ.get("FIGURE_CACHE_SECONDS", "300"))
# Password of the demo accounts loaded by `flask demo load`.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
# Display time zone; timestamps are stored in UTC.
DISPLAY_TIMEZONE = os.environ.get("DISPLAY_TIMEZONE", "Asia/Ho_Chi_Minh")
# Where uploaded files are stored (outside the web root; shared by all instances).
UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(BASE_DIR / "instance" / "uploads"))
# Largest accepted request body (uploads included), in bytes.
MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(20 * 1024 * 1024)))
# Largest accepted attachment, in bytes (each file of an upload).
UPLOAD_MAX_FILE_SIZE = int(os.environ.get("UPLOAD_MAX_FILE_SIZE", str(10 * 1024 * 1024)))
# PEM files (separated by ":") of the certificate authorities whose PDF signatures count as
# trusted, e.g. the Government Cipher Committee's root; none: never "trusted", only intact.
SIGNATURE_TRUST_ROOTS = [
    path for path in os.environ.get("SIGNATURE_TRUST_ROOTS", "").split(os.pathsep) if path
]
# Symbol of each petition slip in its number: "125/PCĐ-TCD" (app/petitions/slips.py).
SLIP_SYMBOLS = {
    "receipt": "BN",
    "forwarding": "PCĐ",
    "guidance": "PHD",
    "acceptance": "TB",
    "non_acceptance": "TB",
}
# The issuing agency's part of a slip number, by agency kind code; another kind uses the
# initials of the agency's header line.
SLIP_AGENCY_SYMBOLS = {
    "citizen_reception_board": "BTCD",
    "district_reception_board": "TCD",
    "inspectorate": "TTr",
    "district_inspectorate": "TTr",
    "department_inspectorate": "TTr",
    "provincial_pc": "UBND",
    "district_pc": "UBND",
    "commune_pc": "UBND",
}
# Signer block of the slips an agency issues, by agency kind code (lines in capitals).
SLIP_SIGNER_TITLES = {
    "citizen_reception_board": ["TRƯỞNG BAN"],
    "district_reception_board": ["TRƯỞNG BAN"],
    "inspectorate": ["CHÁNH THANH TRA"],
    "district_inspectorate": ["CHÁNH THANH TRA"],
    "department_inspectorate": ["CHÁNH THANH TRA"],
    "provincial_pc": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    "district_pc": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    "commune_pc": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
}

# --- Flask-AppBuilder ---
# Title in the navbar and browser tab.
APP_NAME = "Đơn thư Đồng Tháp"
# Bootstrap theme (none: FAB default, served locally).
APP_THEME = ""
# Database authentication (username + password).
AUTH_TYPE = AUTH_DB
# Role given full rights by FAB; the Provincial PC Office's system administrators (R10).
AUTH_ROLE_ADMIN = "Quản trị hệ thống"
# Role of anonymous visitors: nothing but the login page.
AUTH_ROLE_PUBLIC = "Khách"
# No self-registration: accounts are granted by administrators (R10).
AUTH_USER_REGISTRATION = False
# Roles are created by `flask app init`, not by FAB at start-up (FAB 5 trap).
FAB_CREATE_DB = False
# Permissions are synced by `flask app init` after migrating, not at every start.
FAB_UPDATE_PERMS = False
# FAB's own security REST APIs (users, roles) are not exposed; ours apply data scope.
FAB_ADD_SECURITY_API = False
# Page size ceiling of the REST API.
FAB_API_MAX_PAGE_SIZE = 100
# Swagger UI served from local static files.
FAB_API_SWAGGER_UI = True
# Our security manager: users belong to an agency; scoped user administration.
FAB_SECURITY_MANAGER_CLASS = "app.security.manager.DonThuSecurityManager"
# Landing page per role.
FAB_INDEX_VIEW = "app.home.views.HomeView"
# Base layout with the Vietnamese date picker and local assets.
FAB_BASE_TEMPLATE = "donthu/baselayout.html"

# --- Babel ---
# Vietnamese by default; English selectable from the navbar.
BABEL_DEFAULT_LOCALE = "vi"
# Catalogs: the app's own translations/ folder (merged with FAB's by FAB).
BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")
# Time zone Flask-Babel formats dates in.
BABEL_DEFAULT_TIMEZONE = DISPLAY_TIMEZONE
# Languages offered in the navbar.
LANGUAGES = {
    "vi": {"flag": "vn", "name": "Tiếng Việt"},
    "en": {"flag": "gb", "name": "English"},
}

# --- Forms and cookies ---
# CSRF tokens on every form.
WTF_CSRF_ENABLED = True
# CSRF tokens never expire within a session (long intake forms).
WTF_CSRF_TIME_LIMIT = None
# Session cookie not readable by scripts.
SESSION_COOKIE_HTTPONLY = True
# Session cookie not sent on cross-site requests.
SESSION_COOKIE_SAMESITE = "Lax"
# Session cookie only over HTTPS when served behind TLS (also on with PREFERRED_URL_SCHEME=https).
SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
# Scheme of generated external URLs; "https" also makes the cookies Secure.
PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
# Number of reverse proxies (nginx) in front whose X-Forwarded-For/-Proto are trusted; 0: none.
PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", "0"))

# --- Passwords, sign-in lockout and rate limits (app/security, R11, R23) ---
# Shortest accepted password (also: not a common password, not containing the username).
PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "10"))
# Failed sign-ins for one username within LOCKOUT_ACCOUNT_MINUTES that lock it.
LOCKOUT_ACCOUNT_FAILURES = int(os.environ.get("LOCKOUT_ACCOUNT_FAILURES", "5"))
# Window in which account failures are counted, and how long the account stays locked.
LOCKOUT_ACCOUNT_MINUTES = int(os.environ.get("LOCKOUT_ACCOUNT_MINUTES", "15"))
# Failed sign-ins from one client address within LOCKOUT_ADDRESS_MINUTES that lock it.
LOCKOUT_ADDRESS_FAILURES = int(os.environ.get("LOCKOUT_ADDRESS_FAILURES", "20"))
# Window in which address failures are counted, and how long the address stays locked.
LOCKOUT_ADDRESS_MINUTES = int(os.environ.get("LOCKOUT_ADDRESS_MINUTES", "15"))
# Flask-Limiter on (FAB): sign-in form and API login limited per client address.
RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") == "1"
# Where Flask-Limiter counts: database:// in the application's database, shared by every
# worker and instance (app/security/rate_limits.py); memory:// per process; redis://….
RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "database://")
# FAB: rate-limit POSTs to the sign-in form.
AUTH_RATE_LIMITED = True
# Sign-in attempts (form and API login) allowed per client address.
AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per minute")
# Calls to each REST endpoint allowed per caller (account, else address; app/api/limits.py).
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300 per minute")

# --- Scheduled jobs (app/jobs, docs/deployment.md "Scheduler") ---
# 1: each web process also runs the scheduler (started by its first request); 0 (default):
# run it as its own process with `flask jobs run-scheduler`. Either way each run happens once.
SCHEDULER_ENABLED = os.environ.get("SCHEDULER_ENABLED", "0") == "1"
# Daily deadline flags and reminders, HH:MM Vietnamese time.
DAILY_FLAGS_AT = os.environ.get("DAILY_FLAGS_AT", "00:30")
# Monthly summaries of the previous month, on the 1st at HH:MM Vietnamese time.
MONTHLY_SUMMARIES_AT = os.environ.get("MONTHLY_SUMMARIES_AT", "01:00")
# Daily housekeeping (old sign-in attempts, orphaned upload files), HH:MM Vietnamese time.
HOUSEKEEPING_AT = os.environ.get("HOUSEKEEPING_AT", "03:00")
# Reminders when a deadline comes within these numbers of working days (also on the day
# itself and once overdue), comma-separated.
REMIND_DUE_WITHIN_WORKING_DAYS = [
    int(days) for days in os.environ.get("REMIND_DUE_WITHIN_WORKING_DAYS", "3,1").split(",") if days
]
# A run still marked running this many minutes after it started is taken as crashed and
# may be run again by the next claim of its occurrence.
JOBS_CRASHED_AFTER_MINUTES = int(os.environ.get("JOBS_CRASHED_AFTER_MINUTES", "60"))

# --- National database outbox (app/outbox, docs: national-database.md) ---
# Address records are POSTed to; empty (default): records are queued, never sent.
NATIONAL_DB_URL = os.environ.get("NATIONAL_DB_URL", "")
# Bearer token sent with every record; empty: no Authorization header.
NATIONAL_DB_TOKEN = os.environ.get("NATIONAL_DB_TOKEN", "")
# Seconds to wait for the national database's answer to one record.
NATIONAL_DB_TIMEOUT = float(os.environ.get("NATIONAL_DB_TIMEOUT", "15"))
# The sender runs every this many seconds in the scheduler.
NATIONAL_DB_SEND_EVERY_SECONDS = int(os.environ.get("NATIONAL_DB_SEND_EVERY_SECONDS", "60"))
# Most records sent by one run of the sender.
NATIONAL_DB_BATCH = int(os.environ.get("NATIONAL_DB_BATCH", "200"))
# Attempts of one record before it is marked failed (an administrator may retry it).
NATIONAL_DB_MAX_ATTEMPTS = int(os.environ.get("NATIONAL_DB_MAX_ATTEMPTS", "8"))
# Wait after the first failed attempt, doubled after each further one, in seconds.
NATIONAL_DB_RETRY_BASE_SECONDS = int(os.environ.get("NATIONAL_DB_RETRY_BASE_SECONDS", "60"))
# Longest wait between two attempts, in seconds.
NATIONAL_DB_RETRY_MAX_SECONDS = int(os.environ.get("NATIONAL_DB_RETRY_MAX_SECONDS", "21600"))
# A record still "being sent" this many minutes after it was taken goes back to the queue.
NATIONAL_DB_STALE_SENDING_MINUTES = int(os.environ.get("NATIONAL_DB_STALE_SENDING_MINUTES", "15"))

# --- E-mail copies of notifications (app/notifications/email.py) ---
# SMTP server host; empty (default): notifications stay in the application only.
MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
# SMTP port (25 plain, 587 with STARTTLS, 465 with SSL).
MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
# 1: STARTTLS after connecting (port 587).
MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
# 1: SSL from the start (port 465).
MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"
# SMTP login, if the server asks for one.
MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
# SMTP password of that login.
MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
# The sender address of every e-mail.
MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "donthu@dongthap.gov.vn")
# Address of the application put in e-mails before a notification's link, e.g.
# https://donthu.dongthap.gov.vn; empty: the address of the request that caused it.
MAIL_LINK_BASE_URL = os.environ.get("MAIL_LINK_BASE_URL", "")

# --- Reports, summaries and ranking (app/reports, report_templates/forms/README.md) ---
# Folder of the report form files (*.yaml); empty: report_templates/forms.
REPORT_TEMPLATES_FOLDER = os.environ.get("REPORT_TEMPLATES_FOLDER", "")
# Place printed before the date under each form ("Cao Lãnh, ngày … tháng … năm …").
REPORT_PLACE = os.environ.get("REPORT_PLACE", "Cao Lãnh")
# Cut-off rules offered besides the built-in ones (app/reports/periods.py), e.g.
# {"tt01_2024": {"label": "…", "cutoff_day": 14}}; cutoff_day None means calendar months.
REPORT_CUTOFF_RULES: dict = {}
# Cut-off rule of the monthly summaries compiled on the 1st (calendar, tt03_2013, tt01_2024).
REPORT_MONTHLY_RULE = os.environ.get("REPORT_MONTHLY_RULE", "calendar")
# Agency ranking (R26): weight of each indicator in the score (app/reports/ranking.py
# explains each; the weights of an agency's available indicators are scaled to 100).
RANKING_WEIGHTS = {
    "completed_in_time": 30,
    "completed_early": 10,
    "not_overdue": 15,
    "first_pass": 15,
    "report_entry": 10,
    "review": 5,
    "document_entry": 5,
    "petitions_in_time": 10,
}
# Agency ranking: agencies with fewer tasks to carry out in the period are not ranked.
RANKING_MIN_TASKS = int(os.environ.get("RANKING_MIN_TASKS", "5"))
