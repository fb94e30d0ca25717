"""The settings registry: every setting's name, default, meaning and parser, in one place.

Values are layered by ``create_app``: these defaults, then ``instance/config.py``, then
environment variables named ``WARDPROFILES_<NAME>`` (read as JSON when they parse as JSON,
so ``250`` is a number and ``250m`` text), then a test's overrides. ``validate`` then runs
every setting's parser: a bad value stops the app at start with a ``SettingError`` naming the
variable and the problem, instead of a failed request later. A test checks that every setting
here is documented in the README.
"""

from __future__ import annotations

import math
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

ENV_PREFIX = "WARDPROFILES"

Parser = Callable[[Any], Any]
"""Returns the value to use, or raises ``ValueError`` saying what was wrong with it."""


class SettingError(ValueError):
    """A setting has a value its parser refuses; the message names the variable."""


def optional_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return text(value)


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text, got {value!r}")
    return value


def required_text(value: Any) -> str:
    if not text(value).strip():
        raise ValueError("must not be empty")
    return str(value)


def database_url(value: Any) -> str | None:
    url = optional_text(value)
    if url is None:
        return None
    import sqlalchemy as sa

    try:
        backend = sa.make_url(url).get_backend_name()
    except sa.exc.ArgumentError as error:
        raise ValueError(f"{url!r} is not a database URL ({error})") from None
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(
            f"{backend!r} is not a supported database: use sqlite:///PATH or "
            "postgresql+psycopg://USER:PASSWORD@HOST/DATABASE"
        )
    return url


def existing_file(value: Any) -> str:
    path = text(value)
    if path and not Path(path).is_file():
        raise ValueError(f"{path!r} is not a file")
    return path


def whole_number(*, minimum: int) -> Parser:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number, got {value!r}")
        if value < minimum:
            raise ValueError(f"must be {minimum} or more, got {value}")
        return value

    return parse


def positive_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"must be more than 0, got {value}")
    return value


def fraction(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number, got {value!r}")
    if not 0 <= value <= 1:
        raise ValueError(f"must be from 0 to 1, got {value}")
    return float(value)


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, got {value!r}")
    return value


def priority_weights(value: Any) -> dict[str, float]:
    from geodata.priorities import PriorityWeights

    if not isinstance(value, dict):
        raise ValueError(f"must be a JSON object, got {value!r}")
    names = [f.name for f in fields(PriorityWeights)]
    for name, weight in value.items():
        if name not in names:
            raise ValueError(f"{name!r} is not one of {', '.join(names)}")
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise ValueError(f"{name} must be a number, got {weight!r}")
        if not math.isfinite(weight) or weight < 0:
            raise ValueError(f"{name} must be a number of 0 or more, got {weight!r}")
    return value


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Parser = text


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        None,
        "SQLAlchemy database URL: sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/DB. "
        "Default: a SQLite file instance/wardprofiles.sqlite.",
        database_url,
    ),
    Setting(
        "SECRET_KEY",
        None,
        "Key that signs sessions. Default: a random key kept in instance/secret_key, "
        "created on first start; set it explicitly when several processes serve the app.",
        optional_text,
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
        existing_file,
    ),
    Setting(
        "HOTSPOT_CELL_M",
        250,
        "Side of the hot-spot grid cells, in metres of British National Grid.",
        whole_number(minimum=10),
    ),
    Setting(
        "PRIORITY_WEIGHTS",
        {},
        "JSON object overriding the combined-priority weights: force (0.35), excess (0.30), "
        "concerns (0.25), trend (0.10), high_ratio (1.25), no_support_ratio (0.25).",
        priority_weights,
    ),
    Setting(
        "MAX_PERIOD_MONTHS",
        60,
        "The longest period (in months) a page, API call or report may ask for; periods must "
        "also lie within the months held.",
        whole_number(minimum=1),
    ),
    Setting(
        "SESSION_IDLE_HOURS",
        8,
        "A signed-in session unused for this long ends; the person signs in again.",
        positive_number,
    ),
    Setting(
        "SESSION_MAX_HOURS",
        24,
        "A signed-in session ends this long after signing in, however much it is used.",
        positive_number,
    ),
    Setting(
        "PROXY_HOPS",
        0,
        "Reverse proxies in front of the app that add X-Forwarded-For, -Proto and -Host "
        "(1 behind one nginx or load balancer). The client address that sign-in limits, "
        "request logs and token records use is then the proxy's report, not the proxy; "
        "0 ignores those headers, since a client could forge them.",
        whole_number(minimum=0),
    ),
    Setting(
        "SESSION_COOKIE_SECURE",
        False,
        "Send the session cookie over HTTPS only; set it to true whenever the app is served "
        "over HTTPS (Flask's own setting).",
        boolean,
    ),
    Setting(
        "SIGN_IN_FAILURES_PER_USER",
        5,
        "Failed sign-ins for one user name within SIGN_IN_WINDOW_MINUTES after which its "
        "sign-in is refused (429) until the window has passed.",
        whole_number(minimum=1),
    ),
    Setting(
        "SIGN_IN_FAILURES_PER_ADDRESS",
        20,
        "Failed sign-ins from one client address within SIGN_IN_WINDOW_MINUTES after which "
        "sign-in from it is refused (429).",
        whole_number(minimum=1),
    ),
    Setting(
        "SIGN_IN_WINDOW_MINUTES",
        15,
        "The window in which failed sign-ins are counted.",
        whole_number(minimum=1),
    ),
    Setting(
        "OFFICER_HOURS_PER_MONTH",
        140,
        "Hours one neighbourhood officer is available in a month, for the Resourcing page's "
        "abstraction: 40 hours a week over 52 weeks is 173 a month, less about a fifth for "
        "leave, training and sickness.",
        positive_number,
    ),
    Setting(
        "RESOURCING_HARM_BLEND",
        0.5,
        "Weight of harm, 0 to 1, when the Resourcing page shares staff out by a blend of harm "
        "and residents (residents get the rest); a page or API request may ask for another.",
        fraction,
    ),
    Setting(
        "SQLITE_BUSY_TIMEOUT_MS",
        10_000,
        "How long a SQLite writer waits for another writer before giving up.",
        whole_number(minimum=0),
    ),
    Setting(
        "PROTECTIVE_MARKING",
        "OFFICIAL",
        "Protective marking printed on every page of a ward report; a report that includes "
        "the text of community concerns is marked OFFICIAL-SENSITIVE instead.",
        required_text,
    ),
    Setting(
        "PUBLIC_SUPPRESS_BELOW",
        5,
        "In public ward reports, counts below this are shown as '<N' (and rates and shares "
        "that would reveal them are withheld).",
        whole_number(minimum=0),
    ),
    Setting(
        "REQUEST_LOG",
        True,
        "Write one JSON line per request (user id, route, status, milliseconds) to the "
        "wardprofiles.requests logger, on standard error.",
        boolean,
    ),
    Setting(
        "MESSAGE_GAP_WEEKS",
        8,
        "Prevention messages: a high force priority or a ward's top priority with no message "
        "reaching the ward in this many weeks before the period's end is listed as a gap.",
        whole_number(minimum=1),
    ),
    Setting(
        "MESSAGE_WEEKLY_CEILING",
        5,
        "Prevention messages: a week in which more messages than this reached one ward is "
        "listed as possible message fatigue.",
        whole_number(minimum=1),
    ),
    Setting(
        "ARCHIVE_MEMBER_MAX_MB",
        128,
        "Largest size, in MB once unpacked, of one file inside a zip archive offered to an "
        "import (police.uk archives, zipped Shapefiles); larger members are refused unread.",
        whole_number(minimum=1),
    ),
    Setting(
        "ARCHIVE_MAX_RATIO",
        100,
        "Most times a file inside a zip archive may be compressed (police.uk CSVs compress "
        "about 5 times); a member compressed more is refused unread, as a zip bomb.",
        whole_number(minimum=1),
    ),
    Setting(
        "IMPORT_MEMORY_MB",
        512,
        "Memory, in MB, a crime import may use: files are read, checked and stored in "
        "blocks sized to fit (a thirty-second of it), so a file of any size imports within "
        "it.",
        whole_number(minimum=64),
    ),
)


def defaults() -> dict[str, Any]:
    return {setting.name: setting.default for setting in SETTINGS}


def validate(config: MutableMapping[str, Any]) -> None:
    """Parse every setting in place; the first bad one raises ``SettingError``."""
    for setting in SETTINGS:
        try:
            config[setting.name] = setting.parse(config[setting.name])
        except ValueError as error:
            raise SettingError(f"{ENV_PREFIX}_{setting.name}: {error}") from None
