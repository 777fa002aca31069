"""Bad content never crashes `studyguide validate`, never hides where the problem is, and
never stops the rest of the course from loading.

Two halves:
- Hypothesis mutates valid lesson, bank and exam files (the fixture texts of
  tests/course/conftest.py and the bundled ethics bank): deleted keys, wrong types, swapped
  values, truncation, random bytes, random unicode. Whatever comes out, validate prints one
  `path:line:col:` line per problem (line >= 1), exits 1 exactly when there is an error, and
  the untouched files of the same root still load.
- A hand-written corpus of hostile files (alias bombs, python tags, bad encodings, odd
  shapes, huge and deep files, symlink loops, FIFOs, sockets, devices), each run in a real
  subprocess under a clock and a peak-RSS measurement.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import os
import re
import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyguide.cli import main
from studyguide.course import LoadResult, load_content
from tests.course.conftest import BANK, EXAM, LESSON

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "content"

# --- a content root: the conftest fixture, an independent module, and the ethics module ----

OTHER_LESSON = textwrap.dedent(
    """\
    id: other
    title: Other
    order: 2
    summary: Another module, which nothing in the mutated files refers to.
    objectives:
      - Stay calm.
    sections:
      - id: calm
        title: Calm
        body: Breathe out slowly before you answer.
    key_terms: []
    sources: []
    """
)

OTHER_BANK = textwrap.dedent(
    """\
    id: other-bank
    module: other
    title: Other bank
    questions:
      - id: o1
        type: true_false
        prompt: A slow breath helps an officer stay calm.
        answer: true
        feedback_true: Right.
        feedback_false: It does help.
        explanation: Slow breathing lowers the heart rate.
        lesson: other#calm
        tags: [calm]
      - id: o2
        type: single
        prompt: What comes before the answer?
        choices:
          - text: A slow breath.
            correct: true
            feedback: Yes.
          - text: A raised voice.
            feedback: No.
          - text: A shrug.
            feedback: No.
        explanation: Calm first, then words.
        lesson: other#calm
        tags: [calm]
    """
)

# The untouched files sort first (a_...), so ids they hold are always claimed first.
FILES = {
    "lessons/a_other.yaml": OTHER_LESSON,
    "banks/a_other.yaml": OTHER_BANK,
    "lessons/basics.yaml": LESSON,
    "banks/basics.yaml": BANK,
    "exam.yaml": EXAM,
    "lessons/ethics.yaml": (BUNDLED / "lessons" / "ethics.yaml").read_text(encoding="utf-8"),
    "banks/ethics.yaml": (BUNDLED / "banks" / "ethics.yaml").read_text(encoding="utf-8"),
}

ETHICS_IDS = tuple(q["id"] for q in yaml.safe_load(FILES["banks/ethics.yaml"])["questions"])
BANK_IDS = {
    "other-bank": ("o1", "o2"),
    "basics-bank": ("q1", "q2", "q3"),
    "ethics-bank": ETHICS_IDS,
}


def build_root(root: Path) -> Path:
    root = root.resolve()
    for rel, text in FILES.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def must_load(touched: set[str]) -> tuple[set[str], dict[str, tuple[str, ...]], bool]:
    """What still has to load when the files in `touched` (relative paths) are bad:
    lesson ids, bank id -> question ids, and whether the exam loads."""
    lessons = {"other", "basics", "ethics"}
    banks = dict(BANK_IDS)
    exam = True
    if "lessons/basics.yaml" in touched:
        lessons.discard("basics")
        banks.pop("basics-bank")  # its questions point into the broken lesson
        exam = False  # the blueprint names the broken lesson
    if "banks/basics.yaml" in touched:
        banks.pop("basics-bank", None)
    if "lessons/ethics.yaml" in touched:
        lessons.discard("ethics")
        banks.pop("ethics-bank", None)
    if "banks/ethics.yaml" in touched:
        banks.pop("ethics-bank", None)
    if "exam.yaml" in touched:
        exam = False
    return lessons, banks, exam


def assert_rest_loads(root: Path, touched: set[str]) -> None:
    result = load_content([root])
    lessons, banks, exam = must_load(touched)
    loaded_lessons = {lesson.id for lesson in result.course.lessons}
    assert lessons <= loaded_lessons, f"untouched lessons missing: {lessons - loaded_lessons}"
    loaded = {bank.id: tuple(q.id for q in bank.questions) for bank in result.course.banks}
    for bank_id, ids in banks.items():
        assert loaded.get(bank_id) == ids, f"untouched bank {bank_id} lost questions"
    if exam:
        assert result.course.exam is not None, "the untouched exam no longer loads"
    # Every problem the loader reports names an existing content file of this root and,
    # being about a file's content, a real line and column.
    files = {str(item.path) for item in result.files}
    for p in result.problems:
        assert str(p.path) in files, p
        assert p.line >= 1 and p.col >= 1, p


# --- reading validate's output -------------------------------------------------------------

PROBLEM_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): "
    r"(?P<message>.*) \[(?P<code>[a-z-]+)\]$"
)
SUMMARY_LINE = re.compile(
    r"^(ok: \d+ files: .*, no problems"
    r"|\d+ errors?, \d+ warnings? in \d+ files: \d+ lessons, \d+ questions in \d+ banks)$"
)


@dataclass(frozen=True)
class Reported:
    path: str  # absolute, normalised (never resolved: a symlink must keep its own name)
    line: int
    col: int
    severity: str
    code: str
    message: str


def parse_output(out: str, cwd: Path) -> list[Reported]:
    """Every line but the last is one problem, the last is the summary. Split on '\\n' only:
    str.splitlines would also split on U+2028 and friends, which a message may contain."""
    lines = out.rstrip("\n").split("\n")
    assert lines and SUMMARY_LINE.match(lines[-1]), f"no summary line at the end:\n{out}"
    found = []
    for line in lines[:-1]:
        match = PROBLEM_LINE.match(line)
        assert match, f"not a `path:line:col: severity: message [code]` line: {line!r}\n{out}"
        found.append(
            Reported(
                os.path.normpath(os.path.join(cwd, match["path"])),
                int(match["line"]),
                int(match["col"]),
                match["severity"],
                match["code"],
                match["message"],
            )
        )
    return found


def check_verdict(rc: int, out: str, err: str, cwd: Path, root: Path) -> list[Reported]:
    """The contract every run must keep, whatever the input."""
    for text in (out, err):
        assert "Traceback" not in text, text
        assert "unexpected error" not in text, text
    problems = parse_output(out, cwd)
    for p in problems:
        assert p.path.startswith(str(root) + os.sep), f"problem outside the root: {p}"
        assert os.path.lexists(p.path), f"problem names a file that does not exist: {p}"
        assert p.line >= 1 and p.col >= 1, f"problem without a line: {p}"
    has_error = any(p.severity == "error" for p in problems)
    assert rc == (1 if has_error else 0), f"exit {rc} with errors={has_error}:\n{out}{err}"
    assert err == "", err
    return problems


def validate_in_process(root: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    # STUDYGUIDE_DEBUG lets a crash propagate as a real exception instead of being turned
    # into "unexpected error": hypothesis then shows the traceback and shrinks it.
    with (
        mock.patch.dict(os.environ, {"STUDYGUIDE_DEBUG": "1"}),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        rc = main(["validate", str(root)])
    return rc, out.getvalue(), err.getvalue()


def validate_subprocess(root: Path, cwd: Path, timeout: float = 60) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k != "STUDYGUIDE_DEBUG"}
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.run(
        [sys.executable, "-m", "studyguide", "validate", str(root)],
        capture_output=True,
        text=True,
        errors="replace",
        cwd=cwd,
        env=env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return proc.returncode, proc.stdout, proc.stderr


# --- mutations -------------------------------------------------------------------------------

TARGETS = {
    "lesson": "lessons/basics.yaml",
    "bank": "banks/basics.yaml",
    "exam": "exam.yaml",
    "ethics": "banks/ethics.yaml",
}

# Keys the format requires wherever they occur in these files (docs/content-format.md).
# fmt: off
REQUIRED = frozenset({
    # lesson, section, key term, source
    "id", "title", "order", "summary", "objectives", "sections", "key_terms", "sources",
    "body", "term", "definition",
    # bank, scenario, question, choice; `choices` and `answer` only occur in these files on
    # the question types that require them
    "module", "questions", "text", "type", "prompt", "explanation", "lesson", "tags",
    "choices", "answer",
    # exam
    "time_limit_minutes", "pass_mark", "blueprint", "note",
})
# fmt: on

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
# Numbers at the edges: st.integers() and st.floats() rarely reach past a float's range.
EDGE_NUMBERS = st.sampled_from(
    [10**400, -(10**400), 2**63, -1, 0, 1e308, 5e-324, math.inf, -math.inf, math.nan]
)
WRONG_VALUES = st.one_of(
    st.lists(SCALARS, max_size=4),
    st.dictionaries(st.text(max_size=8), SCALARS, max_size=3),
    st.integers(),
    st.floats(),
    EDGE_NUMBERS,
    st.none(),
    st.booleans(),
)
# Random text, and runs of YAML's own syntax: indicators, anchors, tags, document markers.
# fmt: off
YAML_TOKENS = [
    ": ", "- ", "-", "? ", "[", "]", "{", "}", ", ", "&a ", "*a", "*a ", "!", "!!", "!x ",
    "!!python/object/apply:os.system ", "|", "|-", ">", "#", '"', "'", "\\", "%", "@", "`",
    "---", "...", "\t", "\n", "\r\n", "\r", "  ", "<<: ", "~", "\ufeff", "\u2028", "\x85",
]
# fmt: on
INSERTED_TEXT = st.one_of(
    st.text(min_size=1, max_size=8),
    st.lists(st.sampled_from(YAML_TOKENS), min_size=1, max_size=6).map("".join),
)


def kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__  # str, list, dict


def value_paths(tree: object, prefix: tuple = ()) -> list[tuple]:
    """The path to every value in a plain YAML tree (keys of mappings, indexes of lists)."""
    found: list[tuple] = []
    if isinstance(tree, dict):
        items = list(tree.items())
    elif isinstance(tree, list):
        items = list(enumerate(tree))
    else:
        return found
    for key, child in items:
        found.append((*prefix, key))
        found += value_paths(child, (*prefix, key))
    return found


def get_at(tree, path):
    for step in path:
        tree = tree[step]
    return tree


def structural_mutation(data: st.DataObject, text: str) -> tuple[bytes, bool, str]:
    """A deleted key, a value of the wrong type or a number at the edge of the range, or
    two keys' values swapped.

    Returns the new file, whether it must be invalid, and what was done."""
    tree = copy.deepcopy(yaml.safe_load(text))
    paths = value_paths(tree)
    keys = [p for p in paths if isinstance(p[-1], str)]
    op = data.draw(st.sampled_from(["delete", "retype", "swap", "edge"]), label="op")
    if op == "delete":
        path = data.draw(st.sampled_from(keys), label="key")
        del get_at(tree, path[:-1])[path[-1]]
        # The only blueprint share gone: the shares no longer sum to 1.
        must_fail = path[-1] in REQUIRED or path[:-1] == ("blueprint",)
        what = f"delete {path}"
    elif op in ("retype", "edge"):
        path = data.draw(st.sampled_from(paths), label="value")
        new = data.draw(WRONG_VALUES if op == "retype" else EDGE_NUMBERS, label="new value")
        parent = get_at(tree, path[:-1])
        # A number where another kind belongs is wrong; so is .inf or .nan anywhere (no
        # integer field takes a float, no number field takes a non-finite one).
        infinite = isinstance(new, float) and not math.isfinite(new)
        must_fail = kind(parent[path[-1]]) != kind(new) or infinite
        parent[path[-1]] = new
        what = f"set {path} = {new!r}"
    else:
        a = data.draw(st.sampled_from(keys), label="first key")
        others = [p for p in keys if p[: len(a)] != a and a[: len(p)] != p]
        b = data.draw(st.sampled_from(others), label="second key")
        pa, pb = get_at(tree, a[:-1]), get_at(tree, b[:-1])
        must_fail = kind(pa[a[-1]]) != kind(pb[b[-1]])
        pa[a[-1]], pb[b[-1]] = pb[b[-1]], pa[a[-1]]
        what = f"swap {a} and {b}"
    dumped = yaml.safe_dump(tree, sort_keys=False, allow_unicode=True)
    return dumped.encode("utf-8"), must_fail, what


def byte_mutation(data: st.DataObject, text: str) -> tuple[bytes, bool, str]:
    """Truncation at a random byte, random bytes inserted, or random unicode inserted."""
    raw = text.encode("utf-8")
    op = data.draw(st.sampled_from(["truncate", "bytes", "unicode"]), label="op")
    if op == "truncate":
        at = data.draw(st.integers(0, len(raw) - 1), label="at")
        return raw[:at], at == 0, f"truncate at byte {at}"
    if op == "bytes":
        at = data.draw(st.integers(0, len(raw)), label="at")
        junk = data.draw(st.binary(min_size=1, max_size=8), label="bytes")
        return raw[:at] + junk + raw[at:], False, f"insert {junk!r} at byte {at}"
    at = data.draw(st.integers(0, len(text)), label="at")
    junk = data.draw(INSERTED_TEXT, label="text")
    new = text[:at] + junk + text[at:]
    return new.encode("utf-8"), False, f"insert {junk!r} at char {at}"


@pytest.fixture(scope="module")
def mutation_root(tmp_path_factory) -> Path:
    root = build_root(tmp_path_factory.mktemp("mutations") / "course")
    rc, out, err = validate_in_process(root)
    assert (rc, err) == (0, ""), out
    questions = sum(len(ids) for ids in BANK_IDS.values())
    assert out.startswith(f"ok: 7 files: 3 lessons, {questions} questions in 3 banks"), out
    return root


@contextlib.contextmanager
def mutated(root: Path, rel: str, content: bytes):
    target = root / rel
    original = target.read_bytes()
    target.write_bytes(content)
    try:
        yield target
    finally:
        target.write_bytes(original)


def check_mutation(root: Path, rel: str, content: bytes, must_fail: bool, what: str) -> None:
    with mutated(root, rel, content) as target:
        rc, out, err = validate_in_process(root)
        problems = check_verdict(rc, out, err, Path.cwd(), root)
        if must_fail:
            assert rc == 1, f"{what}: still valid?\n{out}"
            assert any(p.path == str(target) and p.severity == "error" for p in problems), (
                f"{what}: no error names {rel}:\n{out}"
            )
        assert_rest_loads(root, {rel})


def test_mutation_helpers_keep_valid_files_valid(mutation_root):
    """The structural mutations dump through PyYAML: an unmutated dump must stay valid, so
    every error a mutation causes comes from the mutation."""
    for rel in TARGETS.values():
        tree = yaml.safe_load(FILES[rel])
        dumped = yaml.safe_dump(tree, sort_keys=False, allow_unicode=True).encode()
        with mutated(mutation_root, rel, dumped):
            rc, out, _ = validate_in_process(mutation_root)
            assert rc == 0 and out.startswith("ok: "), out


@pytest.mark.parametrize("target", TARGETS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_structural_mutation(mutation_root, target, data):
    rel = TARGETS[target]
    content, must_fail, what = structural_mutation(data, FILES[rel])
    check_mutation(mutation_root, rel, content, must_fail, what)


@pytest.mark.parametrize("target", TARGETS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_byte_mutation(mutation_root, target, data):
    rel = TARGETS[target]
    content, must_fail, what = byte_mutation(data, FILES[rel])
    check_mutation(mutation_root, rel, content, must_fail, what)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutation_in_a_real_subprocess(mutation_root, data):
    """The same contract as a user sees it: `python -m studyguide validate ROOT`."""
    rel = TARGETS[data.draw(st.sampled_from(sorted(TARGETS)), label="target")]
    mutate = data.draw(st.sampled_from([structural_mutation, byte_mutation]), label="kind")
    content, must_fail, what = mutate(data, FILES[rel])
    with mutated(mutation_root, rel, content):
        rc, out, err = validate_subprocess(mutation_root, cwd=mutation_root.parent)
        check_verdict(rc, out, err, mutation_root.parent, mutation_root)
        if must_fail:
            assert rc == 1, f"{what}:\n{out}"
        assert_rest_loads(mutation_root, {rel})


# --- the hand-written corpus -----------------------------------------------------------------

TIME_LIMIT = 2.0  # seconds for one `validate` run, start-up included
RSS_GROWTH_LIMIT = 300 * 1024 * 1024  # bytes over a run on clean content
# A child that runs away is stopped by the kernel long before it hurts the machine; the
# limit is far above RSS_GROWTH_LIMIT so it never decides a verdict on its own.
ADDRESS_SPACE_LIMIT = 4 * 1024**3

_MEASURE = """\
import json, resource, subprocess, sys, time

def limit():
    try:
        resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    except (ValueError, OSError):  # not every platform lets a process cap its address space
        pass

start = time.perf_counter()
try:
    proc = subprocess.run(
        sys.argv[1:], capture_output=True, timeout={timeout}, preexec_fn=limit,
        stdin=subprocess.DEVNULL,
    )
    rc, out, err = proc.returncode, proc.stdout, proc.stderr
except subprocess.TimeoutExpired as exc:
    rc, out, err = "timeout", exc.stdout or b"", exc.stderr or b""
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
peak *= 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
json.dump(
    {{"rc": rc, "out": out.decode("utf-8", "replace"), "err": err.decode("utf-8", "replace"),
     "elapsed": elapsed, "peak": peak}},
    sys.stdout,
)
"""


@dataclass
class Measured:
    rc: int | str
    out: str
    err: str
    elapsed: float
    peak: int


def measure_validate(root: Path, cwd: Path, timeout: float = 15) -> Measured:
    """Run validate in a child of a small wrapper process: the wrapper's RUSAGE_CHILDREN
    then holds the peak RSS of that one run and nothing else."""
    pytest.importorskip("resource")
    script = _MEASURE.format(limit=ADDRESS_SPACE_LIMIT, timeout=timeout)
    env = {k: v for k, v in os.environ.items() if k != "STUDYGUIDE_DEBUG"}
    env["PYTHONPATH"] = str(REPO)
    cmd = [sys.executable, "-c", script, sys.executable, "-m", "studyguide", "validate"]
    proc = subprocess.run(
        [*cmd, str(root)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout + 30,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    return Measured(**json.loads(proc.stdout))


@pytest.fixture(scope="module")
def baseline_peak(tmp_path_factory) -> int:
    root = build_root(tmp_path_factory.mktemp("baseline") / "course")
    run = measure_validate(root, root.parent)
    assert run.rc == 0, run.out + run.err
    return run.peak


# A bank that would be valid on its own, with ids of its own; the line numbers of BANK hold
# (question q1 on line 8, its `type` on line 9, its prompt on line 11).
BAD_BANK = (
    BANK.replace("id: basics-bank", "id: bad-bank")
    .replace("id: q1", "id: bad-q1")
    .replace("id: q2", "id: bad-q2")
    .replace("id: q3", "id: bad-q3")
)
HEAD = "id: bad-bank\nmodule: basics\n"  # line 3 comes next


def flow_laughs(levels: int = 9, width: int = 9) -> bytes:
    lines = [HEAD + "title: Laughs", "a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return ("\n".join(lines) + "\n").encode()


def block_laughs(levels: int = 9, width: int = 9) -> bytes:
    out = [HEAD + "title: Laughs\n", "a0: &a0\n" + "  - lol\n" * width]
    for i in range(1, levels + 1):
        out.append(f"a{i}: &a{i}\n" + f"  - *a{i - 1}\n" * width)
    return "".join(out).encode()


def mapping_laughs(levels: int = 9, width: int = 9) -> bytes:
    out = [HEAD + "title: Laughs\n", "m0: &m0 {" + ", ".join(f"k{j}: lol" for j in range(width))]
    out[-1] += "}\n"
    for i in range(1, levels + 1):
        row = ", ".join(f"k{j}: *m{i - 1}" for j in range(width))
        out.append(f"m{i}: &m{i} {{{row}}}\n")
    return "".join(out).encode()


def nested_anchor_laughs(levels: int = 9, width: int = 9) -> bytes:
    """Each anchor is defined inside the one above it: [&a8 [&a7 [...], *a7, ...], *a8, ...]."""
    inner = "&a0 [" + ", ".join(["lol"] * width) + "]"
    for i in range(1, levels + 1):
        inner = f"&a{i} [" + inner + f", *a{i - 1}" * (width - 1) + "]"
    return (HEAD + "title: Laughs\ntags: " + inner + "\n").encode()


def deep_block_mapping(levels: int) -> bytes:
    return (HEAD + "title: Deep\n" + "".join(" " * i + "k:\n" for i in range(levels))).encode()


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


def latin1_bank() -> bytes:
    text = BAD_BANK.replace("do first?", "do first at the café?")
    return text.encode("latin-1")


def one_mb_prompt() -> bytes:
    prompt = "word " * 210_000 + "end?"
    return BANK.replace("What should the officer do first?", prompt).encode()


def one_mb_tags() -> bytes:
    tags = "[" + ", ".join(["greeting"] * 100_000) + "]"
    return BANK.replace("tags: [greeting]", f"tags: {tags}").encode()


def anchors_reused() -> bytes:
    return (
        BANK.replace("tags: [greeting]", "tags: &t [greeting]")
        .replace("tags: [habits]", "tags: *t")
        .encode()
    )


MARKER = "MARKER"  # replaced by a path in the case's own tmp folder


@dataclass
class Case:
    name: str
    content: bytes | Callable[[], bytes] | None = None  # written to `rel`
    _: KW_ONLY
    rel: str = "banks/bad.yaml"
    rc: int = 1
    code: str | None = None  # a problem with this code must name `rel`
    line: int | None = None  # ... on this line
    setup: Callable[[Path], None] | None = None  # makes the case in the root instead
    named: str | None = None  # the file the message names, when not `rel`
    # More checks on the loaded content; gets the LoadResult and a scratch folder.
    check: Callable[[LoadResult, Path], None] | None = None


def same_as_fixture(result: LoadResult, scratch: Path) -> None:
    """A legitimately different encoding of the fixture loads the very same course."""
    clean = load_content([build_root(scratch / "clean")])

    def strip(course):
        questions = [q._replace(path=Path(), positions=None) for q in course.questions]
        lessons = [(x.id, x.title, x.summary, x.objectives, x.sections) for x in course.lessons]
        exam = course.exam
        exam = exam and (exam.title, exam.questions, exam.pass_mark, exam.blueprint, exam.note)
        return questions, lessons, exam

    assert strip(result.course) == strip(clean.course)
    assert result.problems == []


def tags_are_shared(result: LoadResult, scratch: Path) -> None:
    q3 = next(q for q in result.course.questions if q.id == "q3")
    assert q3.tags == ("greeting",)


def prompt_is_whole(result: LoadResult, scratch: Path) -> None:
    q1 = next(q for q in result.course.questions if q.id == "q1")
    assert len(q1.prompt) > 1_000_000 and q1.prompt.endswith("end?")


def many_tags(result: LoadResult, scratch: Path) -> None:
    q1 = next(q for q in result.course.questions if q.id == "q1")
    assert len(q1.tags) == 100_000


def _symlink(link: str, target: str):
    def make(root: Path) -> None:
        (root / link).symlink_to(target)

    return make


def _file_loop(root: Path) -> None:
    (root / "banks" / "a.yaml").symlink_to("b.yaml")
    (root / "banks" / "b.yaml").symlink_to("a.yaml")


def _dir_named_yaml(root: Path) -> None:
    (root / "banks" / "dir.yaml").mkdir()


def _fifo(root: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(root / "banks" / "pipe.yaml")


def _socket(root: Path) -> None:
    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("no UNIX sockets on this platform")
    path = root / "banks" / "sock.yaml"
    if len(str(path)) > 100:
        pytest.skip("path too long for a UNIX socket")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.close()  # the socket file stays; opening it fails even for root


def _device(root: Path) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    (root / "banks" / "zero.yaml").symlink_to("/dev/zero")


def _chmod_000(root: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not make a file unreadable for root")
    path = root / "banks" / "locked.yaml"
    path.write_text(BAD_BANK, encoding="utf-8")
    path.chmod(0)


TAGGED = HEAD + "title: {}\n"


def tagged(payload: str) -> Callable[[], bytes]:
    return lambda: TAGGED.format(payload).encode()


CORPUS: dict[str, list[Case]] = {
    "alias bombs": [
        Case("flow billion laughs", flow_laughs, code="yaml-alias-bomb"),
        Case("block billion laughs", block_laughs, code="yaml-alias-bomb"),
        Case("mapping billion laughs", mapping_laughs, code="yaml-alias-bomb"),
        Case("nested anchors", nested_anchor_laughs, code="yaml-alias-bomb", line=4),
        Case(
            "alias of its own anchor",
            (HEAD + "title: &t [1, *t]\n").encode(),
            code="yaml-too-deep",
            line=3,
        ),
        Case("undefined alias", (HEAD + "title: *nowhere\n").encode(), code="yaml-syntax", line=3),
        Case(
            "anchors reused legitimately",
            anchors_reused,
            rel="banks/basics.yaml",
            rc=0,
            check=tags_are_shared,
        ),
    ],
    "tags": [
        Case(
            "python/object/apply:os.system",
            tagged(f'!!python/object/apply:os.system ["touch {MARKER}"]'),
            code="yaml-tag",
            line=3,
        ),
        Case(
            "python/object/apply:os.mkdir",
            tagged(f"!!python/object/apply:os.mkdir [{MARKER}]"),
            code="yaml-tag",
            line=3,
        ),
        Case(
            "python/object/new",
            tagged(f'!!python/object/new:os.system ["touch {MARKER}"]'),
            code="yaml-tag",
            line=3,
        ),
        Case("python/name", tagged("!!python/name:os.system ''"), code="yaml-tag", line=3),
        Case("python/module", tagged("!!python/module:os ''"), code="yaml-tag", line=3),
        Case(
            "verbatim python tag",
            tagged(f'!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {MARKER}"]'),
            code="yaml-tag",
            line=3,
        ),
        Case(
            "%TAG shorthand for python",
            (
                "%TAG !py! tag:yaml.org,2002:python/object/apply:\n---\n"
                + HEAD
                + f'title: !py!os.system ["touch {MARKER}"]\n'
            ).encode(),
            code="yaml-tag",
            line=5,
        ),
        Case("!!binary", tagged("!!binary aGVsbG8="), code="yaml-tag", line=3),
        Case("!!set", tagged("!!set {a, b}"), code="yaml-tag", line=3),
        Case("!!omap", tagged("!!omap [a: 1, b: 2]"), code="yaml-tag", line=3),
        Case("custom scalar tag", tagged("!mine text"), code="yaml-tag", line=3),
        Case("custom mapping tag", tagged("!mine {a: 1}"), code="yaml-tag", line=3),
        Case("custom sequence tag", tagged("!mine [a]"), code="yaml-tag", line=3),
        Case("custom tag on a key", (HEAD + "!mine title: x\n").encode(), code="yaml-tag", line=3),
        Case(
            "merge key",
            (HEAD + "a: &a {x: 1}\ntitle: {<<: *a}\n").encode(),
            code="yaml-tag",
            line=4,
        ),
        Case(
            "!!str is a plain string",
            BANK.replace("title: Basics bank", "title: !!str 12").encode(),
            rel="banks/basics.yaml",
            rc=0,
        ),
    ],
    "encodings and line ends": [
        Case("latin-1 é", latin1_bank, code="encoding", line=11),
        Case("UTF-16 with BOM", BAD_BANK.encode("utf-16"), code="encoding", line=1),
        Case(
            "UTF-8 encoded surrogate",
            (HEAD + "title: \xed\xa0\x80\n").encode("latin-1"),
            code="encoding",
            line=3,
        ),
        Case(
            "overlong UTF-8",
            (HEAD + "title: \xc0\xaf\n").encode("latin-1"),
            code="encoding",
            line=3,
        ),
        Case(
            "UTF-8 cut inside a character",
            (HEAD + "title: café").encode()[:-1],
            code="encoding",
            line=3,
        ),
        Case("NUL byte", (HEAD + "title: a\0b\n").encode(), code="control-char", line=3),
        Case("raw ESC sequence", (HEAD + "title: \x1b[2J\n").encode(), code="control-char", line=3),
        Case(
            "raw bidi override", (HEAD + "title: a\u202eb\n").encode(), code="control-char", line=3
        ),
        Case(
            "UTF-8 BOM on a bank",
            b"\xef\xbb\xbf" + BANK.encode(),
            rel="banks/basics.yaml",
            rc=0,
            check=same_as_fixture,
        ),
        Case(
            "UTF-8 BOM on a lesson",
            b"\xef\xbb\xbf" + LESSON.encode(),
            rel="lessons/basics.yaml",
            rc=0,
            check=same_as_fixture,
        ),
        Case(
            "UTF-8 BOM on the exam",
            b"\xef\xbb\xbf" + EXAM.encode(),
            rel="exam.yaml",
            rc=0,
            check=same_as_fixture,
        ),
        Case(
            "tab indenting a question key",
            BAD_BANK.replace("\n    type: single", "\n\ttype: single").encode(),
            code="yaml-syntax",
            line=9,
        ),
        Case(
            "tab indenting a list",
            LESSON.replace("id: basics", "id: bad").replace("\n  - Greet", "\n\t- Greet").encode(),
            rel="lessons/bad.yaml",
            code="yaml-syntax",
            line=6,
        ),
        Case("CRLF bank", crlf(BANK), rel="banks/basics.yaml", rc=0, check=same_as_fixture),
        Case(
            "CRLF lesson (block scalar body)",
            crlf(LESSON),
            rel="lessons/basics.yaml",
            rc=0,
            check=same_as_fixture,
        ),
        Case("CRLF exam", crlf(EXAM), rel="exam.yaml", rc=0, check=same_as_fixture),
        Case(
            "BOM and CRLF",
            b"\xef\xbb\xbf" + crlf(BANK),
            rel="banks/basics.yaml",
            rc=0,
            check=same_as_fixture,
        ),
        Case(
            "CR-only line ends",
            BANK.replace("\n", "\r").encode(),
            rel="banks/basics.yaml",
            rc=0,
            check=same_as_fixture,
        ),
    ],
    "shapes": [
        Case("empty file", b"", code="wrong-type", line=1),
        Case("only comments", b"# nothing here\n# yet\n", code="wrong-type", line=1),
        Case("only blank lines", b"\n\n   \n", code="wrong-type", line=1),
        Case("top-level list", b"- id: bad-bank\n- module: basics\n", code="wrong-type", line=1),
        Case("top-level scalar", b"just some words\n", code="wrong-type", line=1),
        Case("top-level null", b"~\n", code="wrong-type", line=1),
        Case("only a document marker", b"# a bank, one day\n---\n", code="wrong-type"),
        Case(
            "duplicate top-level key",
            (HEAD + "id: again\ntitle: x\n").encode(),
            code="yaml-duplicate-key",
            line=3,
        ),
        Case(
            "duplicate key in a question",
            BAD_BANK.replace(
                "    type: single\n", "    type: single\n    type: multiple\n"
            ).encode(),
            code="yaml-duplicate-key",
            line=10,
        ),
        Case(
            "duplicate key in a choice",
            BAD_BANK.replace(
                "        correct: true\n", "        correct: true\n        correct: false\n", 1
            ).encode(),
            code="yaml-duplicate-key",
            line=15,
        ),
        Case(
            "duplicate key in the blueprint",
            EXAM.replace("  basics: 1.0\n", "  basics: 0.5\n  basics: 0.5\n").encode(),
            rel="exam.yaml",
            code="yaml-duplicate-key",
            line=7,
        ),
        Case(
            "two documents",
            (BAD_BANK + "---\n" + BAD_BANK).encode(),
            code="yaml-syntax",
            line=BAD_BANK.count("\n") + 1,  # the second `---`
        ),
        Case(
            "leading --- and trailing ...",
            ("---\n" + BANK + "...\n").encode(),
            rel="banks/basics.yaml",
            rc=0,
        ),
        Case("many small documents", b"---\na: 1\n" * 20_000, code="yaml-syntax", line=3),
        Case(
            "key with an escaped newline",
            (HEAD + 'title: x\n"evil\\nkey": 1\n').encode(),
            code="unknown-key",
            line=4,
        ),
        Case(
            "block scalar key with a newline",
            (HEAD + "title: x\n? |-\n  a\n  b\n: 1\n").encode(),
            code="unknown-key",
            line=4,
        ),
        Case(
            "a list as a key",
            (HEAD + "title: x\n? [a, b]\n: 1\n").encode(),
            code="wrong-type",
            line=4,
        ),
    ],
    "size and depth": [
        Case(
            "flow [[[...]]] 10,000 deep",
            (HEAD + "title: " + "[" * 10_000 + "]" * 10_000 + "\n").encode(),
            code="yaml-syntax",
            line=3,
        ),
        Case(
            "flow {a: {a: ...}} 10,000 deep",
            (HEAD + "title: " + "{a: " * 10_000 + "}" * 10_000 + "\n").encode(),
            code="yaml-syntax",
            line=3,
        ),
        Case(
            "block mappings 10,000 deep (50 MB)",
            lambda: deep_block_mapping(10_000),
            code="file-too-large",
            line=1,
        ),
        Case("block mappings 1,000 deep", lambda: deep_block_mapping(1_000), code="yaml-syntax"),
        Case(
            "block mappings 100 deep",
            lambda: deep_block_mapping(100),
            code="yaml-too-deep",
            line=4 + 64,  # the top mapping is depth 0; `k:` on line 4 opens depth 1
        ),
        Case(
            "block sequences 10,000 deep",
            (HEAD + "title:\n" + "- " * 10_000 + "x\n").encode(),
            code="yaml-syntax",
            line=4,
        ),
        Case(
            "flow lists 100 deep",
            (HEAD + "title: " + "[" * 100 + "]" * 100 + "\n").encode(),
            code="yaml-too-deep",
            line=3,
        ),
        Case(
            "a 50 MB file",
            lambda: b"# padding\n" * (5 * 1024 * 1024) + BAD_BANK.encode(),
            code="file-too-large",
            line=1,
        ),
        Case(
            "1 MB single-line prompt",
            one_mb_prompt,
            rel="banks/basics.yaml",
            rc=0,
            check=prompt_is_whole,
        ),
        Case(
            "1 MB single-line list of tags",
            one_mb_tags,
            rel="banks/basics.yaml",
            rc=0,
            check=many_tags,
        ),
        Case(
            "1 MB line with an unclosed quote",
            (HEAD + 'title: "' + "x" * 1_000_000 + "\n").encode(),
            code="yaml-syntax",
        ),
        Case("1 MB line of one word", b"x" * 1_000_000 + b"\n", code="wrong-type", line=1),
    ],
    "numbers at the edges": [
        Case(
            "exam time limit .inf",
            EXAM.replace("time_limit_minutes: 5", "time_limit_minutes: .inf").encode(),
            rel="exam.yaml",
            code="bad-value",
            line=3,
        ),
        Case(
            "exam time limit of 401 digits",
            EXAM.replace("time_limit_minutes: 5", "time_limit_minutes: 1" + "0" * 400).encode(),
            rel="exam.yaml",
            code="bad-value",
            line=3,
        ),
        Case(
            "exam pass mark .nan",
            EXAM.replace("pass_mark: 0.7", "pass_mark: .nan").encode(),
            rel="exam.yaml",
            code="bad-value",
            line=4,
        ),
        Case(
            "blueprint share .inf",
            EXAM.replace("basics: 1.0", "basics: .inf").encode(),
            rel="exam.yaml",
            code="bad-value",
            line=6,
        ),
        Case(
            "an integer past Python's 4,300-digit limit",
            LESSON.replace("id: basics", "id: bad")
            .replace("order: 1", "order: " + "9" * 5000)
            .encode(),
            rel="lessons/bad.yaml",
            code="wrong-type",
            line=3,
        ),
    ],
    "filesystem": [
        Case("symlink loop banks/loop -> ..", setup=_symlink("banks/loop", ".."), rc=0),
        Case(
            "symlink x.yaml to a missing file",
            setup=_symlink("banks/x.yaml", "gone.yaml"),
            code="io",
            line=1,
            named="banks/x.yaml",
        ),
        Case(
            "two symlinks pointing at each other",
            setup=_file_loop,
            code="io",
            line=1,
            named="banks/a.yaml",
        ),
        Case("a directory named dir.yaml", setup=_dir_named_yaml, rc=0),
        Case("a FIFO named pipe.yaml", setup=_fifo, code="io", line=1, named="banks/pipe.yaml"),
        Case(
            "a UNIX socket named sock.yaml",
            setup=_socket,
            code="io",
            line=1,
            named="banks/sock.yaml",
        ),
        Case("a symlink to /dev/zero", setup=_device, code="io", line=1, named="banks/zero.yaml"),
        Case("chmod 000", setup=_chmod_000, code="io", line=1, named="banks/locked.yaml"),
    ],
}

CASES = [
    pytest.param(group, case, id=f"{group}: {case.name}")
    for group, cases in CORPUS.items()
    for case in cases
]


@pytest.mark.parametrize(("group", "case"), CASES)
def test_corpus(group, case, tmp_path, baseline_peak):
    root = build_root(tmp_path / "course")
    marker = tmp_path / "executed"
    if case.setup is not None:
        case.setup(root)
    if case.content is not None:
        content = case.content() if callable(case.content) else case.content
        content = content.replace(MARKER.encode(), str(marker).encode())
        (root / case.rel).write_bytes(content)

    run = measure_validate(root, cwd=tmp_path)

    assert run.rc != "timeout", f"validate did not finish: {run.out}{run.err}"
    assert "MemoryError" not in run.out + run.err
    problems = check_verdict(run.rc, run.out, run.err, tmp_path, root)
    assert run.rc == case.rc, run.out
    assert run.elapsed < TIME_LIMIT, f"took {run.elapsed:.2f} s"
    growth = run.peak - baseline_peak
    assert growth < RSS_GROWTH_LIMIT, f"peak RSS grew by {growth / 2**20:.0f} MB"
    assert not marker.exists(), "a YAML tag ran code"

    named = str(root / (case.named or case.rel))
    if case.rc == 1:
        mine = [p for p in problems if p.path == named]
        assert mine, f"no problem names {case.named or case.rel}:\n{run.out}"
        if case.code is not None:
            assert case.code in {p.code for p in mine}, run.out
        if case.line is not None:
            assert case.line in {p.line for p in mine if p.code == case.code}, run.out
    else:
        assert not any(p.severity == "error" for p in problems), run.out

    # The rest of the content still loads (in this process too: nothing executed here either).
    # A case that writes a file vouches only for the others; `check` looks at the file itself.
    assert_rest_loads(root, {case.rel} if case.content is not None else set())
    assert not marker.exists(), "a YAML tag ran code while loading in-process"
    if case.check is not None:
        case.check(load_content([root]), tmp_path)


def test_the_content_cache_never_opens_a_fifo(tmp_path):
    """The TUI loads through the content cache, which hashes every file before trusting the
    cache: on the second start that must not block on a FIFO either."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    root = build_root(tmp_path / "course")
    os.mkfifo(root / "banks" / "pipe.yaml")
    script = textwrap.dedent(
        """\
        import sys
        from pathlib import Path
        from studyguide.course.cache import load_content_cached
        root, cache = Path(sys.argv[1]), Path(sys.argv[2])
        for start in ("first", "second"):
            result = load_content_cached([root], cache)
            codes = sorted({p.code for p in result.problems})
            print(start, len(result.course.questions), codes)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-c", script, str(root), str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    questions = sum(len(ids) for ids in BANK_IDS.values())
    assert proc.stdout.split("\n")[:2] == [
        f"first {questions} ['io']",
        f"second {questions} ['io']",
    ], proc.stdout + proc.stderr


@pytest.mark.parametrize(
    "payload",
    [
        f'!!python/object/apply:os.system ["touch {MARKER}"]',
        f"!!python/object/apply:os.mkdir [{MARKER}]",
    ],
)
def test_code_payloads_are_live(tmp_path, payload):
    """The tag cases above prove something only if their payloads really run code under an
    unsafe loader: check that, so a typo in a payload cannot make those tests pass vacuously."""
    marker = tmp_path / "executed"
    text = TAGGED.format(payload).replace(MARKER, str(marker))
    yaml.unsafe_load(text)
    assert marker.exists()


def test_corpus_names_every_group():
    """The report counts cases per group; keep the groups the brief asks for."""
    assert set(CORPUS) == {
        "alias bombs",
        "tags",
        "encodings and line ends",
        "shapes",
        "size and depth",
        "numbers at the edges",
        "filesystem",
    }
    assert len(CASES) == len({c.id for c in CASES})
