"""Parse YAML into plain values that remember where they came from.

PyYAML's C composer (CSafeLoader) builds a node graph whose nodes carry marks; we walk
that graph ourselves instead of using a constructor, so that:
- no tag is ever executed (anything but plain YAML types is refused);
- duplicate mapping keys are reported (PyYAML silently keeps the last one);
- alias expansion ("billion laughs") and nesting depth are bounded;
- every mapping and list knows the line and column of each key and item.
"""

from __future__ import annotations

import hashlib
import re
import stat
from pathlib import Path

import yaml
import yaml.reader
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from studyguide.course.problems import Problem, error, line_col

try:  # the C loader is about five times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
# Total values after alias expansion. A 10,000-question bank has about 400,000.
MAX_EXPANDED_VALUES = 5_000_000
# Lines plus commas, a cheap upper bound on the values a file can hold before parsing it.
MAX_VALUES_HINT = 2_000_000

Pos = tuple[int, int]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


class YMap(dict):
    """A mapping with the position of itself, each key and each value.

    Positions are parser marks or (line, col) tuples; `problems.line_col` reads either.
    """

    __slots__ = ("key_pos", "pos", "val_pos")

    def __init__(self, pos) -> None:
        super().__init__()
        self.pos = pos
        self.key_pos: dict = {}
        self.val_pos: dict = {}


class YList(list):
    """A list with the position of itself and each item."""

    __slots__ = ("item_pos", "pos")

    def __init__(self, pos) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos: list = []


# Implicit resolvers by first character ("" for the empty scalar), as PyYAML keeps them.
_BY_FIRST = {k: tuple(v) for k, v in _BaseLoader.yaml_implicit_resolvers.items()}


class _Loader(_BaseLoader):
    """The safe loader with a faster resolver: the C composer calls `resolve` in Python for
    every scalar, and most of ours are prose whose first letter rules out every implicit
    type. Same answers as PyYAML's resolver, without path resolvers (we use none)."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            if implicit[0] and (not value or value[0] in _BY_FIRST):
                for tag, regexp in _BY_FIRST.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    # The composer calls these around every node. Path resolvers are unused, so any
    # builtin that accepts the arguments will do, and costs no Python frame per node.
    descend_resolver = slice  # called as slice(parent, index): builds and drops a slice
    ascend_resolver = tuple  # called as tuple(): returns the empty tuple


class _Abort(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


# Control characters (but tab and newline), DEL, C1 controls, bidi embeddings, overrides and
# isolates: each can rewrite what a terminal shows. In the raw file carriage returns are line
# breaks and allowed; after parsing, only a double-quoted scalar's escapes ("\e", "\u202e")
# can produce any of them, so only those are searched again.
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_WHY = "escape sequences and bidi overrides can hijack a terminal"

_constructor = yaml.SafeLoader("")  # used only for its scalar converters


def _pos(node: yaml.Node) -> Pos:
    return line_col(node.start_mark)


def read_text(
    path: Path, digests: dict[Path, bytes] | None = None
) -> tuple[str | None, list[Problem]]:
    """Read a content file as UTF-8 text, refusing oversized or undecodable files.

    `digests`, when given, receives the BLAKE2 hash of the bytes read.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A FIFO would block the read forever, a device (/dev/zero) never end it.
            msg = "not a regular file (a pipe, socket or device?): save content as plain files"
            return None, [error(path, (1, 1), msg, "io")]
        size = info.st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // (1024 * 1024)
            msg = f"file is {size / 1048576:.1f} MB, over the {limit} MB limit for content files"
            return None, [error(path, (1, 1), msg, "file-too-large")]
        data = path.read_bytes()
    except OSError as exc:
        # Line 1 like file-too-large: a whole-file problem, but about this file, not the root.
        return None, [error(path, (1, 1), f"cannot read file: {exc.strerror or exc}", "io")]
    if digests is not None:
        digests[path] = hashlib.blake2b(data, digest_size=32).digest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        msg = f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        return None, [error(path, (line, col), msg, "encoding")]
    return text, []


def parse_yaml(path: Path, text: str) -> tuple[object, list[Problem]]:
    """Parse one YAML document. Returns (value, problems); value is None on a fatal problem.

    Duplicate keys are reported but not fatal: the first occurrence is kept.
    """
    # The parser builds every node before we see any, so bound the count up front: each
    # value needs its own line or a comma. A 10,000-question bank has about 400,000.
    values = text.count("\n") + text.count(",")
    if values > MAX_VALUES_HINT:
        msg = (
            f"about {values:,} values, over the {MAX_VALUES_HINT:,} a content file may hold: "
            "split it into several files"
        )
        return None, [error(path, (1, 1), msg, "file-too-large")]
    raw_control = _RAW_CONTROL.search(text)
    if raw_control is not None:
        at = raw_control.start()
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        msg = f"control character U+{ord(raw_control.group()):04X}: {_CONTROL_WHY}"
        return None, [error(path, (line, col), msg, "control-char")]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:  # an unprintable character, found by position
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        msg = f"YAML does not allow character {exc.character!r} here"
        return None, [error(path, (line, col), msg, "yaml-syntax")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or "invalid YAML"
        if exc.context:
            # Where the quote, bracket or mapping began: an unclosed quote is found only
            # where the parser gives up, often many lines further down.
            began = exc.context_mark
            if began is not None and exc.problem_mark is not None:
                at = f"line {began.line + 1}, column {began.column + 1}"
                reason = f"{reason} ({exc.context} that starts on {at})"
            else:
                reason = f"{reason} ({exc.context})"
        return None, [error(path, pos, f"YAML syntax: {reason}", "yaml-syntax")]
    except (yaml.YAMLError, RecursionError, MemoryError) as exc:
        msg = f"YAML could not be parsed: {type(exc).__name__}"
        return None, [error(path, (1, 1), msg, "yaml-syntax")]
    if node is None:
        return None, [error(path, (1, 1), "file is empty", "wrong-type")]
    walker = _Walker(path, anchors="&" in text)
    try:
        value = walker.value(node, 0)
    except _Abort as abort:
        return None, [*walker.problems, abort.problem]
    if walker.tainted:
        return None, walker.problems  # text that could hijack the terminal: skip the file
    if value is None:  # the whole document is `~`, `null` or an empty `---`
        msg = "file holds nothing but null: expected a mapping of keys"
        return None, [*walker.problems, error(path, _pos(node), msg, "wrong-type")]
    return value, walker.problems


class _Walker:
    def __init__(self, path: Path, anchors: bool = True) -> None:
        self.path = path
        # Without an anchor ("&") in the text there can be no alias: the node graph is a
        # tree, so the alias bookkeeping below is skipped.
        self.anchors = anchors
        self.problems: list[Problem] = []
        self.tainted = False
        self.expanded = 0
        # Collections already converted, so an alias reuses the value instead of copying;
        # with the expanded size of each, so alias bombs are counted without expanding them.
        self.seen: dict[int, tuple[object, int]] = {}

    def value(self, node: yaml.Node, depth: int) -> object:
        if isinstance(node, ScalarNode):
            self.expanded += 1
            return self.scalar(node)
        if depth >= MAX_DEPTH:
            msg = f"nesting deeper than {MAX_DEPTH} levels"
            raise _Abort(error(self.path, _pos(node), msg, "yaml-too-deep"))
        if not self.anchors:
            if isinstance(node, MappingNode):
                return self.mapping(node, depth)
            return self.sequence(node, depth)
        key = id(node)
        hit = self.seen.get(key)
        if hit is not None:
            self.expanded += hit[1]
            self.check_budget(node)
            return hit[0]
        if depth >= MAX_DEPTH:
            msg = f"nesting deeper than {MAX_DEPTH} levels"
            raise _Abort(error(self.path, _pos(node), msg, "yaml-too-deep"))
        before = self.expanded
        if isinstance(node, MappingNode):
            result: object = self.mapping(node, depth)
        else:
            result = self.sequence(node, depth)
        self.expanded += 1
        self.seen[key] = (result, self.expanded - before)
        self.check_budget(node)
        return result

    def check_budget(self, node: yaml.Node) -> None:
        if self.expanded > MAX_EXPANDED_VALUES:
            msg = "aliases of this anchor expand to too many values (a 'billion laughs' bomb?)"
            raise _Abort(error(self.path, _pos(node), msg, "yaml-alias-bomb"))

    def scalar(self, node: ScalarNode) -> object:
        tag = node.tag
        if tag == _STR:
            if node.style == '"':
                self.check_escapes(node)
            return node.value
        try:
            if tag == _INT:
                return _constructor.construct_yaml_int(node)
            if tag == _BOOL:
                return _constructor.construct_yaml_bool(node)
            if tag == _FLOAT:
                return _constructor.construct_yaml_float(node)
            if tag == _NULL:
                return None
        except (ValueError, yaml.YAMLError):
            return node.value
        if tag == _TIMESTAMP:  # a date written bare is kept as the text the author wrote
            return node.value
        if tag == _MERGE:
            raise _Abort(
                error(self.path, _pos(node), "merge keys (<<) are not supported", "yaml-tag")
            )
        raise _Abort(self.tag_problem(node))

    def check_escapes(self, node: ScalarNode) -> None:
        match = _CONTROL.search(node.value)
        if match is not None:
            line, col = _pos(node)
            line += node.value.count("\n", 0, match.start())
            msg = (
                f"text contains control character U+{ord(match.group()):04X} at offset "
                f"{match.start()}: {_CONTROL_WHY}"
            )
            self.problems.append(error(self.path, (line, col), msg, "control-char"))
            self.tainted = True

    def tag_problem(self, node: yaml.Node) -> Problem:
        msg = (
            f"YAML tag {node.tag!r} is not allowed: use plain strings, numbers, lists and mappings"
        )
        return error(self.path, _pos(node), msg, "yaml-tag")

    def mapping(self, node: MappingNode, depth: int) -> YMap:
        if node.tag != _MAP:
            raise _Abort(self.tag_problem(node))
        result = YMap(node.start_mark)
        key_pos, val_pos = result.key_pos, result.val_pos
        # The hot loop of every load: plain text keys and values take a short path, and
        # positions stay as the parser's marks until a message needs a line number.
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode:
                msg = "a mapping key must be a plain value, not a list or mapping"
                raise _Abort(error(self.path, key_node.start_mark, msg, "wrong-type"))
            if key_node.tag == _STR and key_node.style is None:
                key = key_node.value
            else:
                key = self.scalar(key_node)
            if key in key_pos:
                first = line_col(key_pos[key])[0]
                msg = f"duplicate key {key!r} (first defined on line {first})"
                mark = key_node.start_mark
                self.problems.append(error(self.path, mark, msg, "yaml-duplicate-key"))
                continue
            if (
                value_node.__class__ is ScalarNode
                and value_node.tag == _STR
                and value_node.style != '"'
            ):
                result[key] = value_node.value
                self.expanded += 2
            elif not self.anchors and value_node.__class__ is MappingNode and depth + 1 < MAX_DEPTH:
                self.expanded += 1
                result[key] = self.mapping(value_node, depth + 1)
            else:
                self.expanded += 1
                result[key] = self.value(value_node, depth + 1)
            key_pos[key] = key_node.start_mark
            val_pos[key] = value_node.start_mark
        return result

    def sequence(self, node: SequenceNode, depth: int) -> YList:
        if node.tag != _SEQ:
            raise _Abort(self.tag_problem(node))
        result = YList(node.start_mark)
        append = result.append
        append_pos = result.item_pos.append
        value = self.value
        # Without anchors a list item that is a mapping goes straight to `mapping`.
        mapping = self.mapping if not self.anchors and depth + 1 < MAX_DEPTH else None
        for item in node.value:
            if mapping is not None and item.__class__ is MappingNode:
                append(mapping(item, depth + 1))
            elif item.__class__ is ScalarNode and item.tag == _STR and item.style != '"':
                self.expanded += 1
                append(item.value)
            else:
                append(value(item, depth + 1))
            append_pos(item.start_mark)
        return result
