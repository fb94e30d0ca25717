"""Commands of ``flask --app service``: one module per command, registered here."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from service.cli import (
        access_log,
        case_study,
        create_token,
        create_user,
        demo,
        export,
        export_concerns,
        export_plans,
        import_abstraction,
        import_concerns,
        import_context,
        import_crime,
        import_plans,
        import_population,
        import_teams,
        import_threat,
        import_wards,
        report,
        users,
    )

    app.cli.add_command(import_wards.command)
    app.cli.add_command(import_crime.command)
    app.cli.add_command(import_population.command)
    app.cli.add_command(import_threat.command)
    app.cli.add_command(import_context.command)
    app.cli.add_command(import_concerns.command)
    app.cli.add_command(export.command)
    app.cli.add_command(export_concerns.command)
    app.cli.add_command(import_plans.command)
    app.cli.add_command(export_plans.command)
    from service.cli import export_messages, import_messages

    app.cli.add_command(import_messages.command)
    app.cli.add_command(export_messages.command)
    app.cli.add_command(report.command)
    app.cli.add_command(demo.command)
    app.cli.add_command(create_user.command)
    app.cli.add_command(create_token.command)
    app.cli.add_command(users.list_users_command)
    app.cli.add_command(users.set_role_command)
    app.cli.add_command(users.deactivate_command)
    app.cli.add_command(access_log.command)
    from service.cli import import_operations

    app.cli.add_command(import_operations.command)
    app.cli.add_command(import_teams.command)
    app.cli.add_command(import_abstraction.command)
    app.cli.add_command(case_study.command)
