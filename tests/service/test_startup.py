"""Start-up stays light: building the app and listing the commands import no PDF or plotting
library (WeasyPrint, pikepdf and matplotlib take seconds to import; only a PDF needs them)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("matplotlib", "pikepdf", "weasyprint")
LOADED = f"""
import json, sys
from flask.cli import main
{{then}}
print(json.dumps(sorted(name for name in {HEAVY!r} if name in sys.modules)))
"""
HELP = """
sys.argv = ["flask", "--app", "service", "--help"]
try:
    main()
except SystemExit:
    pass
"""


def loaded(then: str) -> list[str]:
    """The heavy libraries loaded after running ``then`` in a new interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED.replace("{then}", then)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "create-user" in done.stdout  # the commands were listed, so the app was built
    result: list[str] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_flask_help_imports_no_pdf_or_plotting_library() -> None:
    assert loaded(HELP) == []


def test_the_check_sees_them_once_a_pdf_module_is_imported() -> None:
    assert loaded(HELP + "import geodata.static_maps, service.reports.pdf") == list(HEAVY)
