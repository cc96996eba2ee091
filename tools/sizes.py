"""`make lint`: no function over 60 lines, no class over 300 and no module over 500, outside
migrations and tests. A long function is read as a whole before it is changed; past a screen or
so, it hides the one line that matters; a module past a few hundred lines is several rooms in
one. Prints each offender with its place and exits 1 if there is any."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGES = ("ledger", "sisa", "reports", "api", "tools")
MAX_FUNCTION, MAX_CLASS, MAX_MODULE = 60, 300, 500


def offenders(path: Path, root: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = []
    if (lines := len(text.splitlines())) > MAX_MODULE:
        found.append(f"{path.relative_to(root)}: module is {lines} lines (at most {MAX_MODULE})")
    for node in ast.walk(ast.parse(text, str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = min([d.lineno for d in node.decorator_list] + [node.lineno])
            length = node.end_lineno - first + 1
            limit = MAX_CLASS if isinstance(node, ast.ClassDef) else MAX_FUNCTION
            if length > limit:
                kind = "class" if isinstance(node, ast.ClassDef) else "function"
                found.append(
                    f"{path.relative_to(root)}:{first}: {kind} {node.name} is {length} lines (at most {limit})"
                )
    return found


def main(root: Path) -> int:
    found = [
        line
        for package in PACKAGES
        for path in sorted((root / package).rglob("*.py"))
        for line in offenders(path, root)
    ]
    print(
        "\n".join(found)
        if found
        else f"sizes: no function over {MAX_FUNCTION} lines, no class over {MAX_CLASS}, "
        f"no module over {MAX_MODULE}."
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(Path(__file__).resolve().parent.parent))
