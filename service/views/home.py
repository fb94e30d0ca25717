"""The home page: which wards are stored and what the imports did."""

from __future__ import annotations

from flask import Blueprint, render_template

from service.store.db import get_engine
from service.store.imports import list_imports
from service.store.incidents import summarise_forces, summarise_wards
from service.store.wards import latest_vintage

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    engine = get_engine()
    vintage = latest_vintage(engine)
    wards = summarise_wards(engine, vintage=vintage) if vintage else []
    return render_template(
        "home/index.html",
        vintage=vintage,
        wards=wards,
        forces=summarise_forces(engine),
        imports=list_imports(engine, limit=20),
    )
