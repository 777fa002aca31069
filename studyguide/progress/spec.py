"""The progress file's parts and fields, declared once.

Every field the loader checks is declared here with its type, its range and whether
it may be missing or null; ``docs/progress-format.md`` lists the same fields (a test
keeps the two in step). A document that breaks a rule is refused as a whole
(ProgressStructureError naming the part), so nothing malformed reaches the engine:
the one exception is a clock anomaly, which ``repair_clock`` clamps with a notice.

Settings are declared in ``schema.py`` (``DEFAULT_SETTINGS`` and ``SETTING_RANGES``):
a bad setting is reset to its default, never fatal.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from studyguide.progress.errors import ProgressStructureError

# Dates outside these years are refused: a year-1 or year-9999 stamp overflows as soon
# as the scheduler adds or subtracts an interval. FSRS intervals reach 100 years at most.
FIRST_YEAR = 1970
LAST_YEAR = 2999
# How far ahead of the computer's clock a stored time may be before it counts as a clock
# anomaly (a burial lasts until the next study day begins, at most a day and a bit).
CLOCK_SLACK = timedelta(days=2)

_INF = math.inf

# type name -> how the learner reads it in a message and in the docs
TYPE_NAMES: dict[str, str] = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a whole number or a number",
    "boolean": "true or false",
    "date": "a string",  # a string first; then it must read as a date
    "moment": "a string",
    "object": "an object",
    "list": "a list",
    "record": "an object",
    "any": "any JSON value",
}
# the Python types a JSON value of each type arrives as
PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "date": (str,),
    "moment": (str,),
    "object": (dict,),
    "list": (list,),
    "record": (dict,),
    "any": (object,),
}


def kind(value: Any) -> str:
    """How a JSON value is named in messages."""
    if value is None:
        return "null"
    for wanted, name in (
        (bool, "true or false"),
        (dict, "an object"),
        (list, "a list"),
        (str, "a string"),
        (int, "a whole number"),
        (float, "a number"),
    ):
        if isinstance(value, wanted):
            return name
    return type(value).__name__


class Field:
    """One key of a record, or the value of each entry of a map or list part.

    (Plain classes, not dataclasses: this module is imported on every start-up.)
    """

    __slots__ = ("doc", "items", "maximum", "minimum", "name", "nullable", "record", "required")
    __slots__ += ("type",)

    def __init__(
        self,
        name: str,
        type: str,  # a key of TYPE_NAMES
        doc: str,
        required: bool = True,
        *,
        nullable: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
        items: str | None = None,  # for a list: the type of every item
        record: Record | None = None,  # for a record
    ) -> None:
        self.name, self.type, self.doc, self.required = name, type, doc, required
        self.nullable, self.minimum, self.maximum = nullable, minimum, maximum
        self.items, self.record = items, record

    def __repr__(self) -> str:
        return f"Field({self.name!r}, {self.type!r})"

    def problem(self, value: Any) -> str | None:
        """What is wrong with ``value`` ("must be ..., not ..."), or None."""
        if value is None:
            return None if self.nullable else f"must be {TYPE_NAMES[self.type]}, not null"
        wanted = self.type
        if wanted == "any":
            return None
        if wanted == "record":
            return None if type(value) is dict else _not(self, value)
        checker = _CHECKERS[wanted]
        if not checker(value):
            return _not(self, value)
        if wanted in ("date", "moment"):
            return date_problem(value, aware=wanted == "moment")
        if wanted in ("integer", "number"):
            if not math.isfinite(value):
                return f"must be a finite number, not {value!r}"
            low = -_INF if self.minimum is None else self.minimum
            high = _INF if self.maximum is None else self.maximum
            if not low <= value <= high:
                return f"must be {describe_range(self)}, not {value!r}"
        if wanted == "list" and self.items is not None:
            ok = _CHECKERS[self.items]
            for index, item in enumerate(value):
                if not ok(item):
                    return f"item {index} must be {TYPE_NAMES[self.items]}, not {kind(item)}"
        return None


def _not(f: Field, value: Any) -> str:
    return f"must be {TYPE_NAMES[f.type]}, not {kind(value)}"


def describe_range(f: Field) -> str:
    if f.minimum is not None and f.maximum is not None:
        return f"from {_num(f.minimum)} to {_num(f.maximum)}"
    if f.minimum is not None:
        return f"{_num(f.minimum)} or more"
    if f.maximum is not None:
        return f"{_num(f.maximum)} or less"
    return "a finite number"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


_CHECKERS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: type(v) is str,
    "integer": lambda v: type(v) is int,
    "number": lambda v: type(v) is int or type(v) is float,
    "boolean": lambda v: type(v) is bool,
    "date": lambda v: type(v) is str,
    "moment": lambda v: type(v) is str,
    "object": lambda v: type(v) is dict,
    "list": lambda v: type(v) is list,
    "any": lambda v: True,
}

_LOW = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
_HIGH = datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC)


def parse_date(text: str) -> datetime:
    """A stored time as an aware datetime (a time without an offset is UTC)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def date_problem(text: str, *, aware: bool = False) -> str | None:
    """None when ``text`` is an ISO 8601 date (and time) from FIRST_YEAR to LAST_YEAR;
    ``aware``: it must also carry a UTC offset (the scheduler compares it with now)."""
    shown = text if len(text) <= 40 else text[:40] + "…"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return f"must be a date and time such as 2026-11-25T15:00:00+00:00, not {shown!r}"
    if aware and moment.tzinfo is None:
        return f"must have a UTC offset (such as +00:00), not {shown!r}"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        inside = _LOW <= moment < _HIGH
    except OverflowError:  # an offset that pushes year 1 or 9999 out of range
        inside = False
    if not inside:
        return f"must be a date from {FIRST_YEAR} to {LAST_YEAR}, not {shown!r}"
    return None


class Record:
    """An object with declared keys. Undeclared keys are kept and not checked (a newer
    studyguide may add some); ``rule`` checks how the fields go together."""

    __slots__ = ("by_name", "doc", "fields", "name", "rule")

    def __init__(
        self,
        name: str,
        fields: tuple[Field, ...],
        doc: str,
        rule: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> None:
        self.name, self.fields, self.doc, self.rule = name, fields, doc, rule
        self.by_name = {f.name: f for f in fields}

    def __repr__(self) -> str:
        return f"Record({self.name!r})"

    def check(self, value: Any, part: str) -> None:
        if type(value) is not dict:
            raise ProgressStructureError(part, f"must be an object, not {kind(value)}")
        for f in self.fields:
            if f.name not in value:
                if f.required:
                    raise ProgressStructureError(part, f"missing {f.name!r}")
                continue
            item = value[f.name]
            problem = f.problem(item)
            if problem is not None:
                raise ProgressStructureError(part, f"{f.name!r} {problem}")
            if f.record is not None and item is not None:
                f.record.check(item, f"{part}.{f.name}")
        if self.rule is not None:
            problem = self.rule(value)
            if problem is not None:
                raise ProgressStructureError(part, problem)


class Part:
    """A top-level key. ``shape``: "value" (``value`` is the part itself), "map" (an
    object whose every value is ``value``) or "list" (a list whose every item is)."""

    __slots__ = ("doc", "name", "shape", "value")

    def __init__(self, name: str, shape: str, value: Field, doc: str) -> None:
        self.name, self.shape, self.value, self.doc = name, shape, value, doc

    def __repr__(self) -> str:
        return f"Part({self.name!r})"

    def check(self, data: Any) -> None:
        if self.shape == "value":
            _check_value(self.value, data, self.name)
            return
        for key, item in self.items(data):
            self.check_item(key, item)

    def items(self, data: Any) -> Any:
        """The (key, item) pairs of a map or list part, once its own type is checked."""
        if self.shape == "map":
            if type(data) is not dict:
                raise ProgressStructureError(self.name, f"must be an object, not {kind(data)}")
            return data.items()
        if type(data) is not list:
            raise ProgressStructureError(self.name, f"must be a list, not {kind(data)}")
        return enumerate(data)

    def check_item(self, key: str | int, item: Any) -> None:
        where = f"{self.name}[{key!r}]" if self.shape == "map" else f"{self.name}[{key}]"
        _check_value(self.value, item, where)


def _check_value(f: Field, value: Any, part: str) -> None:
    if f.record is not None and value is not None:
        f.record.check(value, part)
        return
    problem = f.problem(value)
    if problem is not None:
        raise ProgressStructureError(part, problem)


# --- the declaration -------------------------------------------------------------------


def _card_rule(card: dict[str, Any]) -> str | None:
    if card["state"] != 1 and (card.get("stability") is None or card.get("difficulty") is None):
        return "a card in review or relearning needs 'stability' and 'difficulty'"
    if card["state"] != 1 and card.get("last_review") is None:
        return "a card in review or relearning needs 'last_review'"
    return None


CARD = Record(
    "card",
    (
        Field("card_id", "integer", "FSRS's card id", minimum=0, maximum=2**63 - 1),
        Field("state", "integer", "1 learning, 2 review, 3 relearning", minimum=1, maximum=3),
        Field(
            "step",
            "integer",
            "the learning step (null in review)",
            nullable=True,
            minimum=0,
            maximum=1000,
        ),
        Field(
            "stability",
            "number",
            "FSRS stability in days (null before the first review)",
            nullable=True,
            minimum=0.0001,
            maximum=1e6,
        ),
        Field(
            "difficulty",
            "number",
            "FSRS difficulty (null before the first review)",
            nullable=True,
            minimum=1,
            maximum=10,
        ),
        Field("due", "moment", "when the question is due next"),
        Field("last_review", "moment", "when it was last answered", nullable=True),
        Field("reps", "integer", "answers given", required=False, minimum=0),
        Field("lapses", "integer", "times forgotten after it was learned", False, minimum=0),
    ),
    "the FSRS scheduling state of one question",
    rule=_card_rule,
)

FLAG = Record(
    "flag",
    (
        Field("note", "string", "the learner's note for the instructor", required=False),
        Field("time", "date", "when it was flagged", required=False),
        Field("leech", "boolean", "flagged by the app as a leech", required=False),
    ),
    "a question the learner flagged",
)


def _exam_rule(exam: dict[str, Any]) -> str | None:
    if exam.get("finished") is not None:
        for key in ("score", "passed"):
            if exam.get(key) is None:
                return f"a finished exam needs {key!r}"
    return None


EXAM = Record(
    "exam",
    (
        Field("started", "date", "when the exam began", required=False),
        Field("finished", "date", "when it ended", required=False, nullable=True),
        Field("seed", "integer", "with length, reproduces the paper", required=False),
        Field("length", "integer", "questions on the paper", required=False, minimum=0),
        Field(
            "time_limit_s",
            "number",
            "the time allowed, in seconds",
            required=False,
            nullable=True,
            minimum=0,
        ),
        Field("timed_out", "boolean", "whether time ran out", required=False),
        Field(
            "predicted",
            "number",
            "the readiness estimate when it began",
            required=False,
            nullable=True,
            minimum=0,
            maximum=1,
        ),
        Field("score", "number", "the share right", required=False, minimum=0, maximum=1),
        Field("right", "integer", "questions right", required=False, minimum=0),
        Field("total", "integer", "questions asked", required=False, minimum=0),
        Field("pass_mark", "number", "the share needed", required=False, minimum=0, maximum=1),
        Field("passed", "boolean", "whether it was passed", required=False),
        Field("per_module", "object", "module id → [right, total]", required=False),
        Field("answers", "list", "one {qid, picked, correct} per question", required=False),
    ),
    "one finished practice exam",
    rule=_exam_rule,
)

UNDO = Record(
    "undo record",
    (
        Field("qid", "string", "the question answered"),
        Field(
            "card",
            "record",
            "the card before the answer (null when the question was new)",
            nullable=True,
            record=CARD,
        ),
        Field("log_len", "integer", "the log's length before the answer", minimum=0),
        Field("time", "date", "when the answer was given", required=False),
        Field("order", "list", "the choice indexes in the order shown", False, items="integer"),
        Field("session", "string", "the app session that made it", required=False),
    ),
    "what undo needs to take one answer back",
)

LOG_ENTRY = Record(
    "log entry",
    (
        Field("qid", "string", "the question id"),
        Field("time", "date", "when it was answered"),
        Field("rating", "integer", "1 Again, 2 Hard, 3 Good, 4 Easy", minimum=1, maximum=4),
        Field("picked", "list", "the text of the choices picked", items="string"),
        Field("correct", "boolean", "whether the answer was right"),
        Field("ms", "number", "time taken to answer, in milliseconds", minimum=0),
        Field("new", "boolean", "the first answer ever to this question", required=False),
        Field("state", "integer", "the FSRS state before (0 new)", False, minimum=0, maximum=3),
    ),
    "one answer",
)


def _value(name: str, type_: str, doc: str, **kw: Any) -> Field:
    return Field(name, type_, doc, **kw)


PARTS: tuple[Part, ...] = (
    Part("app_version", "value", _value("app_version", "string", ""), "the version that saved"),
    Part("created", "value", _value("created", "date", ""), "when the file was first made"),
    Part(
        "cards",
        "map",
        _value("card", "record", "", record=CARD),
        "question id → card",
    ),
    Part("buried", "map", _value("until", "date", ""), "question id → hidden until"),
    Part("flags", "map", _value("flag", "record", "", record=FLAG), "question id → flag"),
    Part(
        "lesson_positions",
        "map",
        _value("section", "string", ""),
        "lesson module id → section id",
    ),
    Part(
        "pages_read",
        "map",
        _value("pages", "list", "", items="string"),
        "lesson module id → ids of the pages read",
    ),
    Part("daily", "value", _value("daily", "object", ""), "per-day state (free-form)"),
    Part("exams", "list", _value("exam", "record", "", record=EXAM), "practice exams"),
    Part("undo", "list", _value("undo", "record", "", record=UNDO), "undo records"),
    Part("log", "list", _value("entry", "record", "", record=LOG_ENTRY), "every answer"),
)
PART_BY_NAME = {p.name: p for p in PARTS}
RECORDS: tuple[Record, ...] = (CARD, FLAG, EXAM, UNDO, LOG_ENTRY)
# An optional part: null or the exam being sat, checked by schema.check_exam_in_progress
# (a damaged one is dropped with a notice, not refused).
EXAM_IN_PROGRESS = "exam_in_progress"


# --- the hot path: one log entry ---------------------------------------------------------

_fromiso = datetime.fromisoformat


def _strings(items: list[Any]) -> bool:
    return all(type(item) is str for item in items)


def check_log_entry(entry: Any, index: int) -> None:
    """Raise ProgressStructureError unless ``entry`` is a valid log entry.

    Every load and every save runs this once per new entry, so the usual entry (a
    canonical UTC stamp, every field well typed) is accepted by a fast path; anything
    else goes through the declaration, which decides and names the problem.
    """
    if type(entry) is dict:
        get = entry.get
        stamp = get("time")
        rating = get("rating")
        ms = get("ms")
        picked = get("picked")
        if (
            type(stamp) is str
            and len(stamp) == 25
            and stamp[19:] == "+00:00"
            and "1970" <= stamp < "3"
            and type(rating) is int
            and 0 < rating < 5
            and type(get("qid")) is str
            and type(picked) is list
            and type(get("correct")) is bool
            and ((type(ms) is int and ms >= 0) or (type(ms) is float and 0 <= ms < _INF))
            and (not picked or (type(picked[0]) is str and (len(picked) == 1 or _strings(picked))))
            and get("new", False).__class__ is bool
            and (state := get("state", 0)).__class__ is int
            and -1 < state < 4
        ):
            try:
                _fromiso(stamp)
            except ValueError:
                pass
            else:
                return
    LOG_ENTRY.check(entry, f"log[{index}]")


def check_parts(data: dict[str, Any]) -> None:
    """Check every declared part present in ``data`` (the parsed file, current schema).

    ``exam_in_progress`` is not among them: ``ProgressDocument.from_dict`` checks it with
    ``schema.check_exam_in_progress`` and drops a damaged one with a notice."""
    for part in PARTS:
        if part.name not in data:
            continue
        if part.name == "log":
            log = data["log"]
            if type(log) is not list:
                raise ProgressStructureError("log", f"must be a list, not {kind(log)}")
            for index, entry in enumerate(log):
                check_log_entry(entry, index)
        else:
            part.check(data[part.name])


# --- clock anomalies -----------------------------------------------------------------------


def repair_clock(data: dict[str, Any], now: datetime) -> list[str]:
    """Clamp times that lie in the future, in place; returns the notices.

    A card last reviewed after ``now`` (beyond CLOCK_SLACK) is taken as reviewed now,
    with its interval kept (up to 100 years); a burial ending after that is lifted.
    Trusting either would hide the question for as long as the bad clock says (for
    ever, in year 9999) and stamp the next answer with the future time. Runs before
    ``check_parts``, which then checks the result, so it skips anything malformed.
    """
    limit = now + CLOCK_SLACK
    notes: list[str] = []
    cards = data.get("cards")
    moved = []
    for qid, card in cards.items() if type(cards) is dict else ():
        when = _future(card.get("last_review") if type(card) is dict else None, limit)
        if when is None:
            continue
        due = _future(card.get("due"), _LOW) or when
        interval = due - when if due > when else timedelta(0)
        card["last_review"] = now.isoformat()
        card["due"] = (now + min(interval, _MAX_INTERVAL)).isoformat()
        moved.append((qid, when))
    if moved:
        qid, when = moved[0]
        more = f" and {len(moved) - 1} more" if len(moved) > 1 else ""
        notes.append(
            f"cards: {qid!r}{more} had a last review in the future ({when:%Y-%m-%d}); "
            "taken as reviewed now. Check the computer's date and time."
        )
    buried = data.get("buried")
    lifted = [
        qid
        for qid, until in (buried.items() if type(buried) is dict else ())
        if _future(until, limit) is not None
    ]
    for qid in lifted:
        del buried[qid]
    if lifted:
        notes.append(
            f"buried: {len(lifted)} question{'s' * (len(lifted) > 1)} buried past "
            f"{limit:%Y-%m-%d} (such as {lifted[0]!r}) are shown again. Check the "
            "computer's date and time."
        )
    return notes


_MAX_INTERVAL = timedelta(days=36500)


def _future(text: Any, limit: datetime) -> datetime | None:
    """The time ``text`` stands for when it is a valid stamp after ``limit``, else None."""
    if type(text) is not str:
        return None
    try:
        moment = parse_date(text)
        return moment if moment > limit else None
    except (ValueError, OverflowError):
        return None
