"""The lines of a brat .ann file, parsed and checked against the document's text.

A line that cannot be used (bad offsets, a text field that is not the text at its
offsets, an unknown line type) is left out with its reason, so the reader can drop that
annotation and what needs it instead of the whole document. In brat the offsets are the
truth and the text field a convenience: a text field that a line break inside the span
cut short (real corpora hold them, some running on over the next lines of the file) or
that differs only in whitespace is accepted with a warning (common.text_check).
It also holds the names the brat reader and writer share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from news_annotator.formats.common.interop import fragments_problem, name_problem
from news_annotator.formats.common.text_check import check_span_text
from news_annotator.model import Fragment

NORMALIZATIONS = "brat_normalizations"  # the span attribute N lines go to
ATTRIBUTION = "Attribution"  # PolNeAR's event type for a quote frame
MANIFEST = "manifest.json"  # what our export keeps beside the files (brat ignores it)
MANIFEST_TAG = "news-annotator/brat"
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class TextBound:
    id: str
    label: str
    fragments: tuple[Fragment, ...]
    line: int


@dataclass(slots=True)
class Event:
    id: str
    type: str
    trigger: str
    args: list[tuple[str, str]]
    line: int


@dataclass(slots=True)
class Link:
    """An R relation or one step of a `*` equivalence chain."""

    id: str
    type: str
    source: str
    target: str
    line: int


@dataclass(slots=True)
class Attribute:
    """An A/M line: `name` of `target` is `value` (True for a binary attribute)."""

    id: str
    target: str
    name: str
    value: Any
    line: int


@dataclass(slots=True)
class Annotation:
    """What one .ann holds, in file order, with the line each thing came from."""

    textbounds: dict[str, TextBound] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    notes: list[tuple[str, str, int, str]] = field(default_factory=list)  # target, note, line, id
    normalizations: list[tuple[str, dict[str, str], int, str]] = field(default_factory=list)
    # Lines left out: their id (or "line N") -> (line, reason); and the ids that needed them.
    left_out: dict[str, tuple[int, str]] = field(default_factory=dict)
    needed_by: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[tuple[int, str]] = field(default_factory=list)


class LineProblem(Exception):
    """Why one .ann line cannot be used (and how many following lines its text field ran
    on over, which go with it)."""

    def __init__(self, reason: str, used: int = 0) -> None:
        super().__init__(reason)
        self.used = used


def parse_ann(ann_text: str, text: str) -> Annotation:
    """Every line of a .ann; a line that cannot be used goes to `left_out` with its reason."""
    parsed, seen = Annotation(), set()
    lines = ann_text.split("\n")
    number = 0
    while number < len(lines):
        line = lines[number].rstrip("\r")
        number += 1
        if not line.strip():
            continue
        ident = line.split("\t", 1)[0].strip()
        again = ident in seen
        try:
            number += _parse_line(parsed, seen, line, number, lines, text)
        except LineProblem as problem:
            usable_key = ident and not again and ident[:1] in "TRE"
            parsed.left_out[ident if usable_key else f"line {number}"] = (number, str(problem))
            number += problem.used
    return parsed


def _parse_line(parsed: Annotation, seen: set[str], line: str, number: int, lines: list[str],
                text: str) -> int:
    """Adds one line's annotation; returns how many following lines it used (a text field
    that runs on over them)."""
    fields = line.split("\t")
    ident, kind = fields[0].strip(), fields[0][:1]
    body = fields[1].split() if len(fields) > 1 else []
    if kind not in "TREAMN#*" or not ident:
        raise LineProblem(f"unknown annotation line {line[:40]!r} (brat lines start with T, R, "
                          "E, A, M, N, # or *)")
    if kind not in "#*":
        if ident in seen:
            raise LineProblem(f"id {ident} is used twice")
        seen.add(ident)
    if not body:
        raise LineProblem(f"{ident} has no annotation after its id (fields are tab-separated)")
    for name in [body[0].rpartition(":")[0] or body[0]] if kind in "TRE*" else []:
        if problem := name_problem(name, "relation type" if kind in "R*" else "label"):
            raise LineProblem(problem)
    if kind == "T":
        bound, used, warning = _text_bound(ident, fields, text, number, lines[number:])
        parsed.textbounds[ident] = bound
        if warning:
            parsed.warnings.append((number, warning))
        return used
    if kind == "R":
        args = [_role_arg(arg) for arg in body[1:]]
        if len(args) != 2:
            raise LineProblem(f"relation {ident} needs exactly two arguments (Arg1:… Arg2:…)")
        if [role for role, _ in args] == ["Arg2", "Arg1"]:
            args.reverse()
        parsed.links.append(Link(ident, body[0], args[0][1], args[1][1], number))
    elif kind == "E":
        event_type, trigger = _role_arg(body[0])
        args = [_role_arg(arg) for arg in body[1:]]
        for role, _ in args:
            if problem := name_problem(role, "event role"):
                raise LineProblem(problem)
        parsed.events[ident] = Event(ident, event_type, trigger, args, number)
    elif kind in "AM":
        if len(body) not in (2, 3):
            raise LineProblem(f"attribute {ident} needs a name, a target and at most one value")
        parsed.attributes.append(Attribute(ident, body[1], body[0],
                                           body[2] if len(body) == 3 else True, number))
    elif kind == "N":
        if len(body) != 3 or ":" not in body[2]:
            raise LineProblem(f"normalization {ident} needs a type, a target and DB:ID")
        database, _, key = body[2].partition(":")
        parsed.normalizations.append((body[1], {
            "type": body[0], "db": database, "id": key,
            "text": "\t".join(fields[2:])}, number, ident))
    elif kind == "#":
        if len(body) < 2:
            raise LineProblem(f"note {ident} needs a type and a target")
        parsed.notes.append((body[1], "\t".join(fields[2:]), number, ident))
    else:
        members = body[1:]
        if len(members) < 2:
            raise LineProblem("an equivalence needs at least two members")
        parsed.links.extend(Link("*", body[0], a, b, number)
                            for a, b in zip(members, members[1:], strict=False))
    return 0


def _text_bound(ident: str, fields: list[str], text: str, number: int, following: list[str]
                ) -> tuple[TextBound, int, str]:
    """The span, how many of the following lines its text field ran on over, and a
    warning ('' when the text field is the text at its offsets)."""
    parts = fields[1].split(None, 1)  # any whitespace: a stray \r must not join the label
    label, offsets = (parts[0], parts[1]) if len(parts) == 2 else ((parts or [""])[0], "")
    fragments = []
    for part in offsets.split(";"):
        bounds = part.split()
        if len(bounds) != 2 or not all(b.isascii() and b.isdigit() for b in bounds):
            raise LineProblem(f"{ident}: bad offsets {offsets!r} (expected 'start end' pairs "
                              "separated by ';')")
        fragments.append((int(bounds[0]), int(bounds[1])))
    in_file_order = tuple(fragments)
    fragments.sort()
    if problem := fragments_problem(tuple(fragments), len(text)):
        raise LineProblem(f"{ident} ({label}): {problem}")
    bound = TextBound(ident, label, tuple(fragments), number)
    if len(fields) <= 2:
        return bound, 0, ""
    given = "\t".join(fields[2:])
    actual = " ".join(text[start:end] for start, end in in_file_order)
    if given == actual or _flat(given) == _flat(actual):
        return bound, 0, ""
    given, used = _run_on(given, actual, following)
    check = check_span_text(given, text, in_file_order)
    subject = f"{ident} ({label}) at {offsets.strip()}"
    if not check.accepted:
        raise LineProblem(f"{subject}: its text field {check.detail}", used)
    if used:
        return bound, used, (
            f"{subject}: its text field runs on over the next {used} line(s) of the .ann "
            f"(a line break inside the span){'; it ' + check.detail if check.warning else ''}; "
            "read as one annotation, by its offsets")
    return bound, 0, f"{subject}: its text field {check.detail}"


def _run_on(given: str, actual: str, following: list[str]) -> tuple[str, int]:
    """The text field with the lines that continue it (a field cut at a line break inside
    the span, whose rest the tool wrote as lines of their own), and how many there were."""
    whole, target = _squash(actual), _squash(given)
    if not target or not whole.startswith(target) or len(target) == len(whole):
        return given, 0
    used, joined = 0, given
    for raw in following:
        line = raw.rstrip("\r")
        candidate = joined + "\n" + line
        if not whole.startswith(_squash(candidate)):
            break
        joined, used = candidate, used + 1
        if line.strip() and _squash(joined) == whole:
            return joined, used
    # Blank lines after the last continuation belong to the file, not the field.
    while used and not joined.rsplit("\n", 1)[-1].strip():
        joined, used = joined.rsplit("\n", 1)[0], used - 1
    return joined, used


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _flat(text: str) -> str:
    """Text as a .ann line can hold it: line breaks and tabs as spaces, no trailing space."""
    return re.sub(r"[\r\n\t]", " ", text).rstrip(" ")


def split_role(arg: str) -> tuple[str, str]:
    role, _, ref = arg.rpartition(":")
    return role, ref


def _role_arg(arg: str) -> tuple[str, str]:
    role, ref = split_role(arg)
    if not role or not ref:
        raise LineProblem(f"bad argument {arg!r} (expected Role:ID)")
    return role, ref
