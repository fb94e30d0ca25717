"""Ward reports on request: the PDF of one ward, made for the signed-in user who asks."""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, current_app, request, send_file
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest, NotFound

from service.access import concerns_in_report, shown_concerns
from service.reports import AUDIENCES, ReportError, check_choice, ward_report
from service.store.db import get_engine
from service.views.api import requested_period

bp = Blueprint("reports", __name__, url_prefix="/wards")


@bp.get("/<code>/report.pdf")
def ward_pdf(code: str) -> ResponseReturnValue:
    """?from=YYYY-MM&to=YYYY-MM (default: the latest 12 months held), ?audience=public."""
    period = requested_period()
    try:
        audience = check_choice("audience", request.args.get("audience", "internal"), AUDIENCES)
    except ReportError as error:
        raise BadRequest(str(error)) from error
    made = ward_report(
        current_app, get_engine(), code=code, period=period, audience=audience, today=date.today()
    )
    if made is None or made.pdf is None:
        raise NotFound(f"no ward {code!r} in the latest boundary vintage")
    if audience == "internal":
        shown_concerns(concerns_in_report([code]))
    return send_file(
        io.BytesIO(made.pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{code}-{period.first}-{period.last}-{audience}.pdf",
        max_age=0,
    )
