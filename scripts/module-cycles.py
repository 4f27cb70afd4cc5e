#!/usr/bin/env python3
"""Checks the module graph of src/ for cycles, at two levels: between top-level modules
(`crate::config` → `crate::model`) and between sibling modules inside one parent
(`policy::evaluate` → `policy::verdict`). A module's edges are every `crate::a::b` and
`super::x` path in its files (tests excluded: `#[cfg(test)]` files named tests.rs and
`*_tests.rs`, and the `mod tests` blocks at the end of a file). Exits 1 when a cycle exists.

Usage: python3 scripts/module-cycles.py [SRC_DIR]
"""
import re
import sys
from collections import defaultdict
from pathlib import Path

src = Path(sys.argv[1] if len(sys.argv) > 1 else "src")


def module_of(path: Path) -> list[str]:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return parts


def code(path: Path) -> str:
    text = path.read_text()
    # Drop an inline test module at the end of the file, and comments.
    cut = re.search(r"^#\[cfg\(test\)\]\s*\nmod \w+ \{", text, re.M)
    if cut:
        text = text[: cut.start()]
    return re.sub(r"//[^\n]*", "", text)


def is_test_file(path: Path) -> bool:
    return path.name == "tests.rs" or path.name.endswith("_tests.rs")


top = defaultdict(set)
siblings = defaultdict(set)  # parent path -> edges between its children
for path in sorted(src.rglob("*.rs")):
    if is_test_file(path):
        continue
    mod = module_of(path)
    text = code(path)
    for m in re.finditer(r"\bcrate::(\w+)(?:::(\w+))?", text):
        target = [m.group(1)] + ([m.group(2)] if m.group(2) else [])
        if mod and target[0] != mod[0]:
            top[mod[0]].add(target[0])
        # A sibling inside the same top-level parent, named by its full path.
        if len(mod) >= 2 and target[0] == mod[0] and len(target) == 2 and target[1] != mod[1]:
            siblings[mod[0]].add((mod[1], target[1]))
    if len(mod) >= 1:
        parent = mod[:-1]
        for m in re.finditer(r"\bsuper::(\w+)", text):
            name = m.group(1)
            # `super::x` from a mod.rs-less file names a sibling; skip glob/self forms.
            if name not in ("super", "self") and name != mod[-1] and (src.joinpath(*parent, name + ".rs").exists() or src.joinpath(*parent, name, "mod.rs").exists()):
                siblings["::".join(parent) or "crate"].add((mod[-1], name))


def cycles(edges: dict) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in list(edges):
        if v not in index:
            visit(v)
    return out


found = []
for comp in cycles({k: v for k, v in top.items()}):
    found.append(("crate", comp))
for parent, pairs in siblings.items():
    g = defaultdict(set)
    for a, b in pairs:
        g[a].add(b)
    for comp in cycles(g):
        found.append((parent, comp))
for parent, comp in found:
    print(f"cycle in {parent}: {' <-> '.join(comp)}")
if not found:
    print(f"no module cycles ({len(top)} top-level modules, {sum(len(p) for p in siblings.values())} sibling edges)")
sys.exit(1 if found else 0)
