"""Ward reports: one ward's profile, priorities and concerns as an A4 PDF or one HTML file.

A report is made in three steps, one module each: :mod:`~service.reports.gather` reads what
the ward pages read (profile, priorities, concerns, plans and the map's wards);
:mod:`~service.reports.context` formats every figure for the report's audience, applying the
disclosure rules of :mod:`geodata.disclosure`; :mod:`~service.reports.render` renders the page
with Jinja and lays out its PDF (:mod:`~service.reports.pdf`, WeasyPrint and pikepdf) or its
self-contained HTML. :mod:`~service.reports.batch` renders many wards in a pool of processes
for the ``report`` command.

What the report decides is what to show to whom:

- ``internal``: everything, with the open concerns listed as recorded. A report holding
  the text of concerns is marked ``OFFICIAL-SENSITIVE``; otherwise it carries the
  ``PROTECTIVE_MARKING`` setting (``OFFICIAL``).
- ``public``: no concern text, no names (of who recorded a concern or of the community it
  came from), no concern locations, and every count below ``PUBLIC_SUPPRESS_BELOW`` shown as
  ``<5``, with the rates, shares, harm and ranks that would reveal it withheld. Its map
  shows the hot-spot grid in classes rather than each snap point.
"""

from service.reports.gather import report_marking
from service.reports.render import (
    AUDIENCES,
    FORMATS,
    ReportError,
    WardReport,
    check_choice,
    vendor_files,
    ward_report,
)

__all__ = [
    "AUDIENCES",
    "FORMATS",
    "ReportError",
    "WardReport",
    "check_choice",
    "report_marking",
    "vendor_files",
    "ward_report",
]
