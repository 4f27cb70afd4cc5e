#!/usr/bin/env python3
"""Checks the shape rules of the repository, naming file:line for each breach:

(a) the policy is pure: a module under src/policy/ (its tests included) names no module of the
    crate outside POLICY_MAY_USE: no adapter (nextest, criterion, git, workspace, sources,
    wrap, fsutil, scaffold), no store (baseline, history), no renderer (report) and no command.
    Every path in code counts: `use crate::x`, `use crate::{a, b::{c}}` groups, `crate::x::y`
    in expressions and types, and `super::` chains that climb out of src/policy/ (inline
    `mod name { … }` blocks counted). Comments, strings and char literals are skipped.
    The other layers may not climb back up either (FORBIDDEN): an adapter names no evidence
    collection, session, command, policy, renderer or store; `collect` (evidence in) names no
    command and no renderer; a renderer names no command and no session.
(b) no Rust file (src/, tests/, benches/, examples/, fuzz/fuzz_targets/; never a `target`
    directory) is longer than MAX_LINES lines: a file that long holds two concepts.

Exits 1 when either is broken, else prints a one-line summary.

Usage: python3 scripts/layering.py [REPO_ROOT]
"""
import re
import sys
from pathlib import Path

POLICY_MAY_USE = {"policy", "model", "config", "text"}
ADAPTERS = ["nextest", "criterion", "git", "workspace", "sources", "wrap", "valgrind"]
# Layer (a top-level module of src/) → the top-level modules it must not name.
FORBIDDEN = {
    **{
        a: {"collect", "session", "commands", "policy", "report", "baseline", "history", "scaffold", "reclassify"}
        for a in ADAPTERS
    },
    "collect": {"commands", "report"},
    "report": {"commands", "session"},
}
MAX_LINES = 600
ROOTS = ["src", "tests", "benches", "examples", "fuzz/fuzz_targets"]

root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")


def code_only(text: str) -> str:
    """`text` with comments and the contents of string and char literals blanked out (newlines
    kept, so offsets and line numbers still match)."""
    out = list(text)
    n = len(text)

    def blank(a: int, b: int) -> None:
        for k in range(a, min(b, n)):
            if out[k] != "\n":
                out[k] = " "

    i = 0
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            blank(i, j)
            i = j
        elif (m := re.compile(r'b?r(#*)"').match(text, i)) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            close = '"' + m.group(1)
            j = text.find(close, m.end())
            j = n if j < 0 else j + len(close)
            blank(m.end(), j - len(close))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            blank(i + 1, j)
            i = j + 1
        elif c == "'":
            # A char literal ('x', '\n', '\u{1F600}'), else a lifetime or a label ('a).
            if i + 1 < n and text[i + 1] == "\\":
                j = text.find("'", i + 3)
                j = n if j < 0 else j
                blank(i + 1, j)
                i = j + 1
            elif i + 2 < n and text[i + 2] == "'":
                blank(i + 1, i + 2)
                i += 3
            else:
                i += 1
        else:
            i += 1
    return "".join(out)


def module_of(path: Path) -> list[str]:
    parts = list(path.relative_to(root / "src").with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return parts


IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
PATH_START = re.compile(r"(?<![\w$])(crate|super|self)\s*::\s*")
SEGMENT = re.compile(r"(" + IDENT + r"|\*|\{)\s*")
SEP = re.compile(r"\s*::\s*")
INLINE_MOD = re.compile(r"\bmod\s+(" + IDENT + r")\s*\{")


def group_items(text: str, open_at: int) -> tuple[list[tuple[int, str]], int]:
    """The first segment of each item of the `{ … }` group opening at `open_at` (with its
    offset), and the offset after the group."""
    depth, j, start, items = 0, open_at, open_at + 1, []
    while j < len(text):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                items.append(start)
                break
        elif text[j] == "," and depth == 1:
            items.append(start)
            start = j + 1
        j += 1
    out = []
    for s in items:
        m = re.compile(r"\s*(" + IDENT + r"|\*|\{)").match(text, s)
        if m:
            out.append((m.start(1), m.group(1)))
    return out, j + 1


def modules_at(code: str, file_module: list[str]) -> list[tuple[int, int, list[str]]]:
    """(start, end, module path) of each inline `mod name { … }` block, innermost last."""
    spans = []
    for m in INLINE_MOD.finditer(code):
        depth, j = 0, m.end() - 1
        while j < len(code):
            if code[j] == "{":
                depth += 1
            elif code[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        spans.append((m.start(), j, m.group(1)))
    out = []
    for start, end, name in spans:
        outer = [n for (s, e, n) in spans if s < start and end <= e]
        out.append((start, end, file_module + outer + [name]))
    return out


def module_at(offset: int, spans, file_module: list[str]) -> list[str]:
    best = file_module
    for start, end, module in spans:
        if start <= offset <= end and len(module) > len(best):
            best = module
    return best


def crate_names(code: str, file_module: list[str]):
    """(offset, top-level module of the crate) for every path in `code` that names one."""
    spans = modules_at(code, file_module)
    for m in PATH_START.finditer(code):
        base = {"crate": [], "super": None, "self": None}[m.group(1)]
        here = module_at(m.start(), spans, file_module)
        if m.group(1) == "super":
            base = here[:-1]
        elif m.group(1) == "self":
            base = here
        j = m.end()
        # More `super::` climb further.
        while (s := re.compile(r"super\s*::\s*").match(code, j)):
            base = base[:-1]
            j = s.end()
        seg = SEGMENT.match(code, j)
        if not seg:
            continue
        if base:
            # Still inside a top-level module: that module is what is named.
            yield m.start(), base[0]
        elif seg.group(1) == "{":
            for at, first in group_items(code, seg.start(1))[0]:
                if first != "self":
                    yield at, first
        else:
            yield m.start(), seg.group(1)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


failures = []
policy_files = sorted((root / "src" / "policy").rglob("*.rs"))
for path in policy_files:
    text = path.read_text()
    code = code_only(text)
    for offset, name in crate_names(code, module_of(path)):
        if name not in POLICY_MAY_USE:
            rel = path.relative_to(root)
            failures.append(
                f"{rel}:{line_of(text, offset)}: policy uses `crate::{name}`; it may use only "
                f"crate::{{{', '.join(sorted(POLICY_MAY_USE))}}} (adapters, stores, renderers and "
                f"commands depend on the policy, never the other way)"
            )

layered_files = 0
for layer, forbidden in FORBIDDEN.items():
    base = root / "src" / layer
    files = sorted(base.rglob("*.rs")) if base.is_dir() else []
    single = root / "src" / f"{layer}.rs"
    if single.is_file():
        files.append(single)
    layered_files += len(files)
    for path in files:
        text = path.read_text()
        code = code_only(text)
        for offset, name in crate_names(code, module_of(path)):
            if name in forbidden:
                rel = path.relative_to(root)
                failures.append(
                    f"{rel}:{line_of(text, offset)}: `{layer}` uses `crate::{name}`, a layer above "
                    f"it: it may not name crate::{{{', '.join(sorted(forbidden))}}}"
                )

rust_files = []
for r in ROOTS:
    base = root / r
    if base.is_dir():
        rust_files += [p for p in base.rglob("*.rs") if "target" not in p.relative_to(root).parts]
rust_files.sort()
largest = (0, None)
for path in rust_files:
    lines = len(path.read_text(errors="replace").splitlines())
    largest = max(largest, (lines, path))
    if lines > MAX_LINES:
        failures.append(
            f"{path.relative_to(root)}:{MAX_LINES + 1}: {lines} lines, over the limit of "
            f"{MAX_LINES}: a file this long holds two concepts; split it"
        )

for f in failures:
    print(f)
if failures:
    sys.exit(1)
where = largest[1].relative_to(root) if largest[1] else "none"
print(
    f"layering OK: {len(policy_files)} policy files use only "
    f"crate::{{{', '.join(sorted(POLICY_MAY_USE))}}}; {layered_files} adapter, collect and "
    f"report files climb no layer; {len(rust_files)} Rust files, none over "
    f"{MAX_LINES} lines (longest: {where}, {largest[0]})"
)
