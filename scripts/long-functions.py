#!/usr/bin/env python3
"""Lists functions longer than a limit (default 80 lines) in src/, outside tests. Relies on
rustfmt's layout: a fn ends at the first `}` at its own indentation.

Usage: python3 scripts/long-functions.py [LIMIT]
"""
import re
import sys
from pathlib import Path

limit = int(sys.argv[1]) if len(sys.argv) > 1 else 80
found = []
for path in sorted(Path("src").rglob("*.rs")):
    if path.name == "tests.rs" or path.name.endswith("_tests.rs"):
        continue
    lines = path.read_text().splitlines()
    end_of_code = len(lines)
    for i, l in enumerate(lines):
        if l.startswith("#[cfg(test)]") and i + 1 < len(lines) and lines[i + 1].startswith("mod "):
            end_of_code = i
            break
    for i, l in enumerate(lines[:end_of_code]):
        m = re.match(r"^(\s*)(pub(\([^)]*\))? )?(const )?(async )?fn (\w+)", l)
        if not m:
            continue
        indent = m.group(1)
        for j in range(i + 1, end_of_code):
            if lines[j] == indent + "}":
                if j - i + 1 > limit:
                    found.append((j - i + 1, f"{path}:{i + 1}", m.group(6)))
                break
for n, where, name in sorted(found, reverse=True):
    print(f"{n:4} {where} {name}")
sys.exit(1 if found else 0)
