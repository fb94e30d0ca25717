"""Blueprints, one per area of the site; this function is the table of contents."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from service.views import (
        admin,
        api,
        auth,
        concerns,
        downloads,
        home,
        my_wards,
        ogc,
        planning,
        reports,
        resourcing,
        tokens,
        wards,
    )

    app.register_blueprint(auth.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(my_wards.bp)
    app.register_blueprint(planning.bp)
    app.register_blueprint(concerns.bp)
    from service.views import plan_sharing, plans

    app.register_blueprint(plans.bp)
    from service.views import api_messages, messages

    app.register_blueprint(messages.bp)
    app.register_blueprint(api_messages.bp)
    app.register_blueprint(plan_sharing.bp)
    app.register_blueprint(wards.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(tokens.bp)
    app.register_blueprint(ogc.bp)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(admin.bp)
    from service.views import api_operations, operations

    app.register_blueprint(operations.bp)
    app.register_blueprint(api_operations.bp)
    app.register_blueprint(resourcing.bp)
