"""The progress layer is plain Python: importing it must not pull in the UI."""

from __future__ import annotations

from progress_helpers import ROOT, run_child

CHECK = """
import sys
import studyguide.progress
from studyguide.progress import ProgressStore, ProgressDocument
ui = sorted(name for name in sys.modules if name.split(".")[0] in {"textual", "rich"})
print(ui)
"""


def test_importing_progress_loads_no_ui_modules() -> None:
    result = run_child(CHECK)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_no_source_file_mentions_textual_imports() -> None:
    for source in (ROOT / "studyguide" / "progress").glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "import textual" not in text and "from textual" not in text, source
