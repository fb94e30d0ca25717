"""A plan's case study: gathered from the store, made public by ``geodata.case_study`` and
rendered as one HTML file or an A4 PDF through the report pipeline (:mod:`service.reports.pdf`).

A case study is for other forces and partners, so it is always the public edition: no names
of people, no concern text, counts below ``PUBLIC_SUPPRESS_BELOW`` shown as ``<5`` and the
figures resting on them withheld. It carries the ``PROTECTIVE_MARKING`` setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import Flask, render_template

from geodata.case_study import case_study
from geodata.disclosure import Shown
from service.readmodels.plan_evaluations import plan_evaluation
from service.readmodels.sustained import plan_follow_ups
from service.reports.render import FORMATS, check_choice
from service.store.awards import award_states
from service.store.people import people_named
from service.store.plans import get_plan
from service.store.wards import list_wards


@dataclass(frozen=True)
class CaseStudy:
    """One rendered case study: its file's bytes and media type."""

    content: bytes
    media_type: str


def case_study_file(
    app: Flask, engine: sa.Engine, *, plan_id: int, format: str, today: date
) -> CaseStudy | None:
    """Plan ``plan_id``'s case study as ``format`` (``pdf`` or ``html``); None for no plan."""
    check_choice("format", format, FORMATS)
    plan = get_plan(engine, plan_id)
    if plan is None:
        return None
    shown = Shown.for_audience("public", suppress_below=int(app.config["PUBLIC_SUPPRESS_BELOW"]))
    names = {w["code"]: w["name"] for w in list_wards(engine, vintage=plan["ward_vintage"])}
    content = case_study(
        plan,
        evaluation=plan_evaluation(app, engine, plan_id=plan_id),
        follow_ups=plan_follow_ups(app, engine, plan_id=plan_id),
        award=award_states(engine).get(plan_id),
        ward_names=names,
        names=people_named(engine),
        shown=shown,
    )
    page = {
        "study": content,
        "marking": app.config["PROTECTIVE_MARKING"],
        "generated_on": f"{today.day} {today:%B %Y}",
    }
    if format == "html":
        html = render_template("reports/case_study.html", interactive=True, **page)
        return CaseStudy(html.encode(), "text/html; charset=utf-8")
    from service.reports.pdf import pdf_document  # WeasyPrint: only when laid out

    html = render_template("reports/case_study.html", interactive=False, **page)
    return CaseStudy(pdf_document(html, figures={}).write_pdf(), "application/pdf")
