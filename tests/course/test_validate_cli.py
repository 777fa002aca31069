"""`studyguide validate` as a user runs it: exit codes, output formats, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from studyguide.cli import main


def run_cli(*args: str, env: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("STUDYGUIDE_CONTENT", None) if env is None else None
    return subprocess.run(
        [sys.executable, "-m", "studyguide", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=60,
    )


def test_clean_content_exits_0(content, capsys):
    assert main(["validate", str(content.root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok: 3 files: 1 lessons, 3 questions in 1 banks")


def test_errors_exit_1_with_one_line_each_and_a_summary(content, capsys):
    content.edit(content.bank, "type: single", "type: singel")
    content.edit(content.lesson, "order: 1", "order: first")
    assert main(["validate", str(content.root)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[0].endswith(
        "banks/basics.yaml:9:11: error: `type` must be one of single, "
        "multiple, true_false, not 'singel'; did you mean `single`? [bad-value]"
    )
    assert lines[1].endswith(
        "lessons/basics.yaml:3:8: error: `order` should be an integer, "
        "not a string ('first') [wrong-type]"
    )
    assert lines[2].startswith("2 errors, 0 warnings in 3 files")


def test_warnings_pass_unless_strict(content, capsys):
    content.edit(content.bank, "        feedback: Too passive.\n", "")
    assert main(["validate", str(content.root)]) == 0
    assert main(["validate", "--strict", str(content.root)]) == 1
    assert "[missing-feedback]" in capsys.readouterr().out


def test_missing_path_is_a_usage_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_json_format(content, capsys):
    content.edit(content.bank, "lesson: basics#greeting", "lesson: basics#nowhere")
    assert main(["validate", "--format", "json", str(content.root)]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["errors"] == 1 and doc["questions"] == 2
    (problem,) = doc["problems"]
    assert (problem["line"], problem["col"], problem["code"]) == (21, 13, "bad-reference")


def test_github_format(content, capsys):
    content.edit(content.bank, "lesson: basics#greeting", "lesson: basics#nowhere")
    assert main(["validate", "--format", "github", str(content.root)]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("::error file=")
    assert "banks/basics.yaml,line=21,col=13,title=bad-reference::" in first


def test_single_file_is_checked_in_its_root(content, capsys):
    content.edit(content.lesson, "order: 1", "order: first")
    content.edit(content.bank, "        feedback: Too passive.\n", "")
    # Only the named file's problems; its references still resolve against its root.
    assert main(["validate", str(content.bank)]) == 0
    out = capsys.readouterr().out
    assert "banks/basics.yaml:16:9: warning" in out
    assert "lessons/" not in out


def test_content_option_and_env_variable(content, tmp_path):
    content.edit(content.bank, "type: single", "type: singel")
    by_option = run_cli("--content", str(content.root), "validate")
    by_env = run_cli("validate", env={"STUDYGUIDE_CONTENT": str(content.root)})
    assert by_option.returncode == by_env.returncode == 1
    assert "[bad-value]" in by_option.stdout and "[bad-value]" in by_env.stdout


def test_env_variable_joins_folders(content, tmp_path):
    other = tmp_path / "other"
    (other / "banks").mkdir(parents=True)
    extra = content.bank.read_text().replace("id: basics-bank", "id: extra-bank")
    (other / "banks" / "extra.yaml").write_text(extra.replace("- id: q", "- id: x"))
    env = {"STUDYGUIDE_CONTENT": os.pathsep.join([str(content.root), str(other)])}
    result = run_cli("validate", "--format", "json", env=env)
    doc = json.loads(result.stdout)
    assert doc["questions"] == 6
    assert {p["code"] for p in doc["problems"]} == {"duplicate-prompt"}


def test_hostile_files_never_show_a_traceback(content):
    cases = {
        "tag.yaml": "id: !!python/object/apply:os.system ['true']\n",
        "list.yaml": "- just\n- a list\n",
        "empty.yaml": "",
        "deep.yaml": "a: " + "[" * 5000 + "]" * 5000 + "\n",
        "scalar.yaml": "just text\n",
        "keys.yaml": "? [complex, key]\n: value\n",
    }
    for name, text in cases.items():
        (content.root / "banks" / name).write_text(text)
    (content.root / "banks" / "bytes.yaml").write_bytes(bytes(range(256)))
    result = run_cli("validate", str(content.root))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    files = {line.split(":")[0].rsplit("/", 1)[-1] for line in result.stdout.splitlines()[:-1]}
    assert files == {*cases, "bytes.yaml"}


def test_help_and_version():
    help_text = run_cli("--help")
    assert help_text.returncode == 0 and "validate" in help_text.stdout
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("studyguide ")
