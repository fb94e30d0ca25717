"""GET /api/threat: the active threat assessment with its themes, and every stored version."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient, FlaskCliRunner

from service.openapi import OPENAPI
from tests.factories import run_json

EXAMPLE_YAML = Path(__file__).resolve().parents[2] / "examples" / "threat-assessment-demo.yaml"


def test_no_assessment_is_null_and_no_versions(client: FlaskClient) -> None:
    response = client.get("/api/threat")

    assert response.status_code == 200
    assert response.get_json() == {"active": None, "versions": []}


def test_the_latest_import_is_active_with_its_themes(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    first = run_json(runner, "import-threat", str(EXAMPLE_YAML))
    revised = tmp_path / "revised.yaml"
    revised.write_text(
        EXAMPLE_YAML.read_text(encoding="utf-8").replace("risk_score: 96", "risk_score: 97"),
        encoding="utf-8",
    )
    second = run_json(runner, "import-threat", str(revised))

    body = client.get("/api/threat").get_json()

    active = body["active"]
    assert {key: active[key] for key in ("id", "version", "example", "source", "bands")} == {
        "id": 2,
        "version": 2,
        "example": True,
        "source": str(revised),
        "bands": {"high": 3, "medium": 3, "low": 1},
    }
    assert (active["title"], active["force"], active["assessed_on"]) == (
        "Demoshire Strategic Assessment 2026: EXAMPLE — not a real assessment",
        "Demoshire Constabulary (synthetic demo data)",
        "2026-03-31",
    )
    assert active["imported_at"] == second["active_since"]
    assert [theme["name"] for theme in active["themes"]] == [
        "Serious violence",
        "Drug supply",
        "Violence against women and girls",
        "Burglary",
        "Anti-social behaviour",
        "Organised crime",
        "Vehicle crime",
    ]
    assert active["themes"][5] == {
        "name": "Organised crime",
        "description": "Organised crime groups behind money laundering, modern slavery and "
        "organised acquisitive crime; police.uk has no category that captures this activity.",
        "risk_score": 198.0,
        "confidence": "low",
        "priority_band": "medium",
        "categories": [],
        "concern_tags": ["exploitation"],
        "owner": "Serious and Organised Crime Strategic Lead",
        "review_date": "2026-12-31",
    }
    assert active["themes"][6]["risk_score"] == 97.0
    assert [(v["id"], v["version"], v["active"], v["themes"]) for v in body["versions"]] == [
        (2, 2, True, 7),
        (1, 1, False, 7),
    ]
    assert body["versions"][1]["imported_at"] == first["active_since"]


def test_the_response_has_what_the_openapi_document_requires(
    client: FlaskClient, runner: FlaskCliRunner
) -> None:
    run_json(runner, "import-threat", str(EXAMPLE_YAML))

    body = client.get("/api/threat").get_json()

    schema = OPENAPI["paths"]["/api/threat"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    assert set(schema["required"]) <= set(body)
    active_schema, theme_schema = schema["properties"]["active"]["oneOf"][0]["allOf"]
    assert set(active_schema["required"]) <= set(body["active"])
    assert set(active_schema["properties"]) | set(theme_schema["properties"]) == set(body["active"])
    theme = theme_schema["properties"]["themes"]["items"]
    assert set(theme["properties"]) == set(body["active"]["themes"][0])
