"""How far surface cues alone get a reader who never studied (issue 11).

Loads content with the app's own loader and runs mechanical "test-wise" solvers over
every single-answer question (type `single`, exactly one correct choice). No solver ever
looks at which choice is correct: each one turns a question into *credit* per choice
(shares summing to 1), and its accuracy on the question is the credit the key gets.
A solver that narrows a question to k tied choices spreads its credit 1/k over them, so a
tie is scored as a fair random pick among the tied choices, never as a win or a loss.

Solvers (words are matched case-insensitively as whole words; see ABSOLUTES, HEDGES):
- longest, second-longest, shortest: by character length of the choice text. With ties,
  the choices whose tied rank range covers the position share it (two equal longest
  choices of four: longest gives each 1/2, and so does second-longest);
- fewest-absolutes: the choice(s) with the fewest absolute words and phrases;
- most-hedged: the choice(s) with the most hedging words and phrases;
- stem-overlap: the choice(s) sharing the most distinct content words with the prompt and
  its scenario text (stop words dropped, crude suffix stemming);
- odd-one-out: the choice(s) with the lowest mean word-set Jaccard similarity to the
  other choices;
- combined: a vote. Five cues each cast one vote, split like their credit: fewest
  absolutes, most hedged, stem overlap, odd one out, and "middle length" (neither the
  longest nor the shortest; the old tip "avoid the extreme options"). The choice(s) with
  the most votes win, ties split. A cue that cannot tell the choices apart gives every
  choice the same share and so changes nothing.
A solver that cannot tell the choices apart at all (every choice ties) scores exactly
1/len(choices) on the question: chance.

Chance is the mean of 1/len(choices) over the questions counted.
Goal (issue 11): every solver within chance ± 7 points overall, and no solver above
chance + 15 points in any module.

True/false questions have chance 50% and no choice texts to compare, so they are reported
on their own and are not part of the goal: "always true", "always false", and "wording"
(a statement with an absolute is false, one with a hedge and no absolute is true,
otherwise a coin flip). `multiple` questions are not counted.

With a few questions per module, luck alone can put a solver past chance + 15 in some
module, so the script also draws random key assignments (same texts, each key moved to a
uniformly random choice; --null-runs, default 200, seeded) and prints how often such
cue-free content would meet each part of the goal.

Run:  python benchmarks/bench_testwise.py [CONTENT_DIR ...] [--json OUT] [--check]
The last line printed is a one-line summary. --check exits 1 when the goal is missed.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from studyguide.course.loader import load_content
from studyguide.course.model import Course, Question
from studyguide.paths import bundled_content_dir

OVERALL_TOLERANCE = 7.0  # percentage points either side of chance, overall
MODULE_CEILING = 15.0  # percentage points above chance, in any module

# Absolute words and phrases. Longer phrases are matched first and a match is never
# counted twice ("at all" counts once, not also as "all").
ABSOLUTES = (
    "with no exceptions",
    "without exception",
    "no matter what",
    "at all times",
    "under any circumstances",
    "at all",
    "any",
    "anyone",
    "anything",
    "only",
    "every",
    "everyone",
    "everything",
    "all",
    "always",
    "never",
    "none",
    "no one",
    "nobody",
    "nothing",
    "must",
    "prove",
    "proves",
    "proof",
    "guarantee",
    "guarantees",
    "guaranteed",
    "completely",
    "entirely",
    "totally",
    "certainly",
    "definitely",
    "impossible",
    "regardless",
    "whatever",
)

HEDGES = (
    "more likely",
    "less likely",
    "tends to",
    "tend to",
    "in most cases",
    "where possible",
    "when possible",
    "if possible",
    "may",
    "might",
    "can",
    "could",
    "likely",
    "usually",
    "often",
    "sometimes",
    "some",
    "generally",
    "typically",
    "perhaps",
    "possibly",
    "probably",
    "depends",
)

_STOP = """a an the and or but nor so yet for of to in on at by from with without into onto
    about as than then that this these those there here it its it's is are was were be
    been being am do does did doing have has had having will would shall should can could
    may might must not no yes if when while where which who whom whose what why how
    i me my we us our you your he him his she her they them their one ones
    very just also too more most less least such other another each some any all
    up down out over under again once only own same both few"""
STOP_WORDS = frozenset(_STOP.split())

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _phrase_pattern(phrases: Sequence[str]) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)
    # Whole words only; an apostrophe continues a word ("can't" is not "can").
    return re.compile(rf"(?<![\w'’])(?:{alternation})(?![\w'’])", re.IGNORECASE)


_ABSOLUTE = _phrase_pattern(ABSOLUTES)
_HEDGE = _phrase_pattern(HEDGES)


@functools.cache
def count_absolutes(text: str) -> int:
    return len(_ABSOLUTE.findall(text))


@functools.cache
def count_hedges(text: str) -> int:
    return len(_HEDGE.findall(text))


def _stem(word: str) -> str:
    word = word.removesuffix("'s")
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@functools.cache
def content_words(text: str) -> frozenset[str]:
    """Lower-cased, stemmed words of `text` without stop words (hyphens split words)."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    return frozenset(_stem(w) for w in words if w not in STOP_WORDS)


# --- solvers: a question's choice texts (and its stem) to credit per choice ---------------

Credit = tuple[float, ...]


def _share(picked: Sequence[int], n: int) -> Credit:
    return tuple(1 / len(picked) if i in picked else 0.0 for i in range(n))


def _best(scores: Sequence[float], highest: bool = True) -> Credit:
    scores = [round(s, 9) for s in scores]
    target = max(scores) if highest else min(scores)
    return _share([i for i, s in enumerate(scores) if s == target], len(scores))


def length_position(lengths: Sequence[int], position: int) -> Credit:
    """Credit for "pick the choice at `position` (0 = longest) in descending length".

    A choice with t ties covers the positions from (choices strictly longer) to that plus
    t - 1; every choice covering `position` shares it equally.
    """
    covering = []
    for i, length in enumerate(lengths):
        longer = sum(other > length for other in lengths)
        tied = sum(other == length for other in lengths)
        if longer <= position < longer + tied:
            covering.append(i)
    return _share(covering, len(lengths))


def _lengths(q: Question) -> list[int]:
    return [len(c.text.strip()) for c in q.choices]


def stem_text(q: Question) -> str:
    return f"{q.scenario.text} {q.prompt}" if q.scenario else q.prompt


def solve_longest(q: Question) -> Credit:
    return length_position(_lengths(q), 0)


def solve_second_longest(q: Question) -> Credit:
    return length_position(_lengths(q), 1)


def solve_shortest(q: Question) -> Credit:
    return length_position(_lengths(q), len(q.choices) - 1)


def solve_middle_length(q: Question) -> Credit:
    """Neither the longest nor the shortest: positions 1..n-2 share one vote."""
    lengths = _lengths(q)
    inner = range(1, len(lengths) - 1) or range(len(lengths))
    parts = [length_position(lengths, p) for p in inner]
    return tuple(sum(p[i] for p in parts) / len(parts) for i in range(len(lengths)))


def solve_fewest_absolutes(q: Question) -> Credit:
    return _best([count_absolutes(c.text) for c in q.choices], highest=False)


def solve_most_hedged(q: Question) -> Credit:
    return _best([count_hedges(c.text) for c in q.choices])


def solve_stem_overlap(q: Question) -> Credit:
    stem = content_words(stem_text(q))
    return _best([len(content_words(c.text) & stem) for c in q.choices])


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def solve_odd_one_out(q: Question) -> Credit:
    words = [content_words(c.text) for c in q.choices]
    means = [
        sum(_jaccard(w, other) for j, other in enumerate(words) if j != i) / (len(words) - 1)
        for i, w in enumerate(words)
    ]
    return _best(means, highest=False)


COMBINED_CUES: tuple[Callable[[Question], Credit], ...] = (
    solve_fewest_absolutes,
    solve_most_hedged,
    solve_stem_overlap,
    solve_odd_one_out,
    solve_middle_length,
)


def solve_combined(q: Question) -> Credit:
    votes = [sum(cue(q)[i] for cue in COMBINED_CUES) for i in range(len(q.choices))]
    return _best(votes)


SOLVERS: dict[str, Callable[[Question], Credit]] = {
    "longest": solve_longest,
    "second-longest": solve_second_longest,
    "shortest": solve_shortest,
    "fewest-absolutes": solve_fewest_absolutes,
    "most-hedged": solve_most_hedged,
    "stem-overlap": solve_stem_overlap,
    "odd-one-out": solve_odd_one_out,
    "combined": solve_combined,
}

RANK_LABELS = ("longest", "2nd", "3rd", "shortest")


def key_rank_shares(q: Question) -> tuple[float, float, float, float]:
    """Where the key's length falls: longest, 2nd, 3rd (every rank between 2nd and
    shortest), shortest. A tied key's weight is split over the positions it covers."""
    lengths = _lengths(q)
    key = next(i for i, c in enumerate(q.choices) if c.correct)
    n = len(lengths)
    longer = sum(other > lengths[key] for other in lengths)
    tied = sum(other == lengths[key] for other in lengths)
    shares = [0.0, 0.0, 0.0, 0.0]
    for position in range(longer, longer + tied):
        shares[3 if position == n - 1 else min(position, 2)] += 1 / tied
    return tuple(shares)


def true_false_wording(q: Question) -> float:
    """Credit of "an absolute is false, a hedge with no absolute is true" on a statement."""
    absolute, hedged = count_absolutes(q.prompt), count_hedges(q.prompt)
    answer = next(c.text == "True" for c in q.choices if c.correct)
    if absolute:
        return 0.0 if answer else 1.0
    if hedged:
        return 1.0 if answer else 0.0
    return 0.5


# --- measuring ------------------------------------------------------------------------------


def single_answer(course: Course) -> list[Question]:
    return [
        q for q in course.questions if q.type == "single" and sum(c.correct for c in q.choices) == 1
    ]


def _pct(total: float, count: int) -> float:
    return 100 * total / count if count else 0.0


def _figures(questions: Sequence[Question]) -> dict:
    n = len(questions)
    keys = [next(i for i, c in enumerate(q.choices) if c.correct) for q in questions]
    figures = {
        "questions": n,
        "chance": _pct(sum(1 / len(q.choices) for q in questions), n),
        "solvers": {
            name: _pct(sum(solve(q)[k] for q, k in zip(questions, keys, strict=True)), n)
            for name, solve in SOLVERS.items()
        },
    }
    ranks = [key_rank_shares(q) for q in questions]
    figures["key_length_rank"] = {
        label: _pct(sum(r[i] for r in ranks), n) for i, label in enumerate(RANK_LABELS)
    }
    return figures


def null_pass_rates(questions: Sequence[Question], modules: dict[str, list], runs: int) -> dict:
    """How often content with no cue at all would meet the goal, given its size.

    Each of `runs` draws keeps every text and moves each question's key to a choice drawn
    uniformly at random, so any solver's score is pure luck. Returns the share of draws
    meeting the overall part of the goal, the module part, and both.
    """
    credits = {q.id: [solve(q) for solve in SOLVERS.values()] for q in questions}
    rng = random.Random(11)
    met = {"overall": 0, "modules": 0, "both": 0}

    def chance(qs):
        return _pct(sum(1 / len(q.choices) for q in qs), len(qs))

    for _ in range(runs):
        keys = {q.id: rng.randrange(len(q.choices)) for q in questions}

        def accuracies(qs, keys=keys):
            return [
                _pct(sum(credits[q.id][s][keys[q.id]] for q in qs), len(qs))
                for s in range(len(SOLVERS))
            ]

        overall = all(
            abs(a - chance(questions)) <= OVERALL_TOLERANCE for a in accuracies(questions)
        )
        module = all(
            a - chance(qs) <= MODULE_CEILING for qs in modules.values() for a in accuracies(qs)
        )
        met["overall"] += overall
        met["modules"] += module
        met["both"] += overall and module
    return {part: count / runs for part, count in met.items()}


def measure(roots: Sequence[Path], null_runs: int = 0) -> dict:
    result = load_content(roots)
    course = result.course
    questions = single_answer(course)
    modules: dict[str, list[Question]] = {}
    for q in questions:
        modules.setdefault(q.module, []).append(q)
    figures = {
        "content": [str(r) for r in roots],
        "content_errors": len(result.errors),
        "overall": _figures(questions),
        "modules": {m: _figures(qs) for m, qs in modules.items()},
    }
    tf = [q for q in course.questions if q.type == "true_false"]
    answers = [next(c.text == "True" for c in q.choices if c.correct) for q in tf]
    figures["true_false"] = {
        "questions": len(tf),
        "chance": 50.0 if tf else 0.0,
        "always-true": _pct(sum(answers), len(tf)),
        "always-false": _pct(len(tf) - sum(answers), len(tf)),
        "wording": _pct(sum(true_false_wording(q) for q in tf), len(tf)),
    }
    figures["goal"] = verdict(figures)
    if null_runs and questions:
        figures["goal"]["null_runs"] = null_runs
        figures["goal"]["null_pass_rates"] = null_pass_rates(questions, modules, null_runs)
    return figures


def verdict(figures: dict) -> dict:
    overall = figures["overall"]
    worst_solver, worst_gap = None, 0.0
    for name, accuracy in overall["solvers"].items():
        gap = accuracy - overall["chance"]
        if worst_solver is None or abs(gap) > abs(worst_gap):
            worst_solver, worst_gap = name, gap
    worst_module = None
    for module, m in figures["modules"].items():
        for name, accuracy in m["solvers"].items():
            excess = accuracy - m["chance"]
            if worst_module is None or excess > worst_module[2]:
                worst_module = (module, name, excess, accuracy, m["chance"])
    met = bool(overall["questions"]) and abs(worst_gap) <= OVERALL_TOLERANCE
    met = met and (worst_module is None or worst_module[2] <= MODULE_CEILING)
    goal = {
        "overall_tolerance_points": OVERALL_TOLERANCE,
        "module_ceiling_points": MODULE_CEILING,
        "worst_solver": worst_solver,
        "worst_solver_accuracy": overall["solvers"].get(worst_solver, 0.0),
        "worst_solver_gap_points": worst_gap,
        "met": met,
    }
    if worst_module:
        goal.update(
            worst_module=worst_module[0],
            worst_module_solver=worst_module[1],
            worst_module_accuracy=worst_module[3],
            worst_module_chance=worst_module[4],
            worst_module_excess_points=worst_module[2],
        )
    return goal


# --- printing -------------------------------------------------------------------------------

SHORT = {
    "longest": "long",
    "second-longest": "2nd",
    "shortest": "short",
    "fewest-absolutes": "fewAbs",
    "most-hedged": "hedge",
    "stem-overlap": "overlap",
    "odd-one-out": "odd",
    "combined": "comb",
}


def table(figures: dict) -> list[str]:
    names = list(SOLVERS)
    width = max([22, *(len(m) + 1 for m in figures["modules"])])
    head = f"{'module':<{width}}{'n':>4}{'chance':>8}" + "".join(f"{SHORT[s]:>9}" for s in names)
    lines = [head]

    def row(label: str, f: dict, limit: Callable[[float, float], bool]) -> str:
        cells = ""
        for name in names:
            accuracy = f["solvers"][name]
            mark = "!" if limit(accuracy, f["chance"]) else " "
            cells += f"{accuracy:8.1f}{mark}"
        return (f"{label:<{width}}{f['questions']:>4}{f['chance']:7.1f} " + cells).rstrip()

    for module, f in figures["modules"].items():
        lines.append(row(module, f, lambda a, c: a - c > MODULE_CEILING))
    lines.append(row("overall", figures["overall"], lambda a, c: abs(a - c) > OVERALL_TOLERANCE))
    lines.append(
        f"(accuracy in %; ! marks a cell past the goal: overall outside chance ± "
        f"{OVERALL_TOLERANCE:g}, a module above chance + {MODULE_CEILING:g})"
    )
    lines.append("columns: " + ", ".join(f"{SHORT[s]} = {s}" for s in names))
    return lines


def rank_table(figures: dict) -> list[str]:
    width = max([22, *(len(m) + 1 for m in figures["modules"])])
    lines = [f"{'module':<{width}}{'n':>4}" + "".join(f"{label:>10}" for label in RANK_LABELS)]
    rows = [*figures["modules"].items(), ("overall", figures["overall"])]
    for label, f in rows:
        cells = "".join(f"{f['key_length_rank'][r]:9.1f} " for r in RANK_LABELS)
        lines.append((f"{label:<{width}}{f['questions']:>4}" + cells).rstrip())
    lines.append("(% of the module's single-answer keys at each length rank; uniform is 25 each)")
    return lines


def summary(figures: dict) -> str:
    goal = figures["goal"]
    if not figures["overall"]["questions"]:
        return "test-wise: no single-answer questions to measure; FAIL"
    text = (
        f"test-wise: worst solver {goal['worst_solver']} {goal['worst_solver_accuracy']:.1f}% "
        f"vs chance {figures['overall']['chance']:.1f}% overall "
        f"(goal within ±{OVERALL_TOLERANCE:g})"
    )
    if "worst_module" in goal:
        text += (
            f"; worst module {goal['worst_module']} {goal['worst_module_solver']} "
            f"{goal['worst_module_accuracy']:.1f}% vs chance {goal['worst_module_chance']:.1f}% "
            f"(goal ≤ +{MODULE_CEILING:g})"
        )
    return text + ("; PASS" if goal["met"] else "; FAIL")


def report(figures: dict) -> list[str]:
    overall = figures["overall"]
    lines = [
        f"{overall['questions']} single-answer questions in {len(figures['modules'])} modules, "
        f"chance {overall['chance']:.1f}%",
    ]
    if figures["content_errors"]:
        lines.append(
            f"note: {figures['content_errors']} content errors; questions in broken files "
            "are not counted (run `studyguide validate`)"
        )
    lines += ["", "solver accuracy per module:", *table(figures)]
    lines += ["", "key's length rank:", *rank_table(figures)]
    tf = figures["true_false"]
    if tf["questions"]:
        lines += [
            "",
            f"true/false (not in the goal; chance 50%): {tf['questions']} questions, "
            f"always true {tf['always-true']:.1f}%, always false {tf['always-false']:.1f}%, "
            f"wording rule {tf['wording']:.1f}%",
        ]
    goal = figures["goal"]
    lines.append("")
    if "null_pass_rates" in goal:
        rates = goal["null_pass_rates"]
        lines.append(
            f"random keys ({goal['null_runs']} draws, same texts, no cue but luck): the goal is "
            f"met by {100 * rates['both']:.0f}% of draws (overall part "
            f"{100 * rates['overall']:.0f}%, module part {100 * rates['modules']:.0f}%)"
        )
    lines.append(summary(figures))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="*", help="content roots (default: the bundled course)")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--null-runs",
        type=int,
        default=200,
        help="random key assignments drawn to see how often cue-free content passes "
        "(default 200; 0 skips)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    args = parser.parse_args(argv)
    roots = [Path(p) for p in args.content] or [bundled_content_dir()]
    missing = [r for r in roots if not r.is_dir()]
    if missing:
        print(f"bench_testwise: no such folder: {missing[0]}", file=sys.stderr)
        return 2
    figures = measure(roots, args.null_runs)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    print("\n".join(report(figures)))
    return 1 if args.check and not figures["goal"]["met"] else 0


if __name__ == "__main__":
    sys.exit(main())
