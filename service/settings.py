"""The settings registry: every setting's name, default and meaning, in one place.

Values are layered by ``create_app``: these defaults, then ``instance/config.py``, then
environment variables named ``WARDPROFILES_<NAME>``, then a test's overrides. A test checks
that every setting here is documented in the README.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ENV_PREFIX = "WARDPROFILES"


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        None,
        "SQLAlchemy database URL. Default: a SQLite file instance/wardprofiles.sqlite.",
    ),
    Setting(
        "SECRET_KEY",
        None,
        "Key that signs sessions. Default: a random key kept in instance/secret_key, "
        "created on first start; set it explicitly when several processes serve the app.",
    ),
    Setting(
        "TILE_URL",
        "",
        "Basemap tile URL template ({z}/{x}/{y}); empty shows maps on a plain background, "
        "which works with no network.",
    ),
    Setting("TILE_ATTRIBUTION", "", "Attribution shown for the basemap tiles."),
    Setting(
        "HARM_WEIGHTS",
        "",
        "CSV of harm weights per police.uk category (category,weight,basis with # source and "
        "# caveat lines). Empty uses the shipped weights derived from the ONS Crime Severity "
        "Score; a force can point this at its own table, e.g. a Cambridge Crime Harm Index.",
    ),
    Setting(
        "HOTSPOT_CELL_M",
        250,
        "Side of the hot-spot grid cells, in metres of British National Grid.",
    ),
    Setting(
        "PRIORITY_WEIGHTS",
        {},
        "JSON object overriding the combined-priority weights: force (0.35), excess (0.30), "
        "concerns (0.25), trend (0.10), high_ratio (1.25), no_support_ratio (0.25).",
    ),
    Setting(
        "MAX_PERIOD_MONTHS",
        60,
        "The longest period (in months) a page, API call or report may ask for; periods must "
        "also lie within the months held.",
    ),
    Setting(
        "SESSION_IDLE_HOURS",
        8,
        "A signed-in session unused for this long ends; the person signs in again.",
    ),
    Setting(
        "SESSION_MAX_HOURS",
        24,
        "A signed-in session ends this long after signing in, however much it is used.",
    ),
    Setting(
        "SESSION_COOKIE_SECURE",
        False,
        "Send the session cookie over HTTPS only; set it to true whenever the app is served "
        "over HTTPS (Flask's own setting).",
    ),
    Setting(
        "SIGN_IN_FAILURES_PER_USER",
        5,
        "Failed sign-ins for one user name within SIGN_IN_WINDOW_MINUTES after which its "
        "sign-in is refused (429) until the window has passed.",
    ),
    Setting(
        "SIGN_IN_FAILURES_PER_ADDRESS",
        20,
        "Failed sign-ins from one client address within SIGN_IN_WINDOW_MINUTES after which "
        "sign-in from it is refused (429).",
    ),
    Setting(
        "SIGN_IN_WINDOW_MINUTES",
        15,
        "The window in which failed sign-ins are counted.",
    ),
    Setting(
        "SQLITE_BUSY_TIMEOUT_MS",
        10_000,
        "How long a SQLite writer waits for another writer before giving up.",
    ),
    Setting(
        "PROTECTIVE_MARKING",
        "OFFICIAL",
        "Protective marking printed on every page of a ward report; a report that includes "
        "the text of community concerns is marked OFFICIAL-SENSITIVE instead.",
    ),
    Setting(
        "PUBLIC_SUPPRESS_BELOW",
        5,
        "In public ward reports, counts below this are shown as '<N' (and rates and shares "
        "that would reveal them are withheld).",
    ),
    Setting(
        "ARCHIVE_MEMBER_MAX_MB",
        128,
        "Largest size, in MB once unpacked, of one file inside a zip archive offered to an "
        "import (police.uk archives, zipped Shapefiles); larger members are refused unread.",
    ),
    Setting(
        "ARCHIVE_MAX_RATIO",
        100,
        "Most times a file inside a zip archive may be compressed (police.uk CSVs compress "
        "about 5 times); a member compressed more is refused unread, as a zip bomb.",
    ),
)


def defaults() -> dict[str, Any]:
    return {setting.name: setting.default for setting in SETTINGS}
