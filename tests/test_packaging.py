"""The package as shipped: layer hygiene, bundled content and schemas, the wheel."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from studyguide.commands.schema import schema_documents
from studyguide.paths import bundled_content_dir

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def test_domain_modules_never_import_textual():
    # Import every module outside the UI layer in a fresh interpreter and look at sys.modules.
    code = """
import importlib, pkgutil, sys
import studyguide
names = [m.name for m in pkgutil.walk_packages(studyguide.__path__, "studyguide.")
         if not m.name.startswith(("studyguide.tui", "studyguide.__main__"))]
for name in names:
    importlib.import_module(name)
leaked = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(len(names), leaked)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, leaked = out.stdout.split(" ", 1)
    assert int(count) >= 10
    assert leaked.strip() == "[]"


def test_bundled_schemas_match_the_format_declarations():
    for name, text in schema_documents().items():
        shipped = CONTENT / "schemas" / name
        assert shipped.read_text(encoding="utf-8") == text, (
            f"{shipped} is stale: run `studyguide schema --dir content/schemas`"
        )


def test_every_bundled_file_names_its_schema():
    files = [*sorted(CONTENT.glob("*/*.yaml")), CONTENT / "exam.yaml"]
    assert len(files) >= 3
    for path in files:
        kind = {"lessons": "lesson", "banks": "bank"}.get(path.parent.name, "exam")
        first = path.read_text(encoding="utf-8").splitlines()[0]
        target = first.removeprefix("# yaml-language-server: $schema=")
        assert first != target, f"{path} lacks the yaml-language-server line"
        assert (path.parent / target).resolve() == CONTENT / "schemas" / f"{kind}.schema.json"


def test_bundled_content_validates_clean_and_strict():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "studyguide",
            "validate",
            "--strict",
            "--format",
            "json",
            str(CONTENT),
        ],
        capture_output=True,
        text=True,
    )
    doc = json.loads(out.stdout)
    assert doc["problems"] == [], "\n".join(
        f"{p['path']}:{p['line']}: {p['message']}" for p in doc["problems"]
    )
    assert out.returncode == 0
    assert doc["lessons"] >= 1 and doc["questions"] >= 10


def test_bundled_content_dir_in_a_checkout():
    assert bundled_content_dir() == CONTENT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("studyguide-*.whl")
    return built


def test_wheel_ships_the_content_and_schemas(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "studyguide/content/exam.yaml" in names
    assert "studyguide/content/schemas/bank.schema.json" in names
    lessons = {n for n in names if n.startswith("studyguide/content/lessons/")}
    banks = {n for n in names if n.startswith("studyguide/content/banks/")}
    assert len(lessons) == len(list((CONTENT / "lessons").glob("*.yaml")))
    assert len(banks) == len(list((CONTENT / "banks").glob("*.yaml")))


def test_installed_wheel_finds_its_curriculum_from_any_folder(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        f"import sys; sys.path.insert(0, {str(site)!r}); import studyguide, runpy; "
        "assert studyguide.__file__.startswith(sys.path[0]), studyguide.__file__; "
        "sys.argv = ['studyguide', 'validate', '--format', 'json']; "
        "runpy.run_module('studyguide', run_name='__main__')"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=elsewhere, env=env
    )
    doc = json.loads(out.stdout)
    assert doc["roots"] == [str(site / "studyguide" / "content")]
    assert doc["lessons"] == len(list((CONTENT / "lessons").glob("*.yaml")))
