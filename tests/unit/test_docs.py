"""The README and ``docs/`` name only what exists: every ``regioledger`` command and each of
its options, every route with its method, every page they link to. A command renamed or a
route moved without its documentation fails here."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
README_LINES = 200

SPAN = re.compile(r"`([^`\n]+)`")
METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH"}
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")


def _spans() -> list[tuple[str, str]]:
    return [
        (page.name, match.group(1).replace("\\|", "|"))
        for page in PAGES
        for match in SPAN.finditer(page.read_text(encoding="utf-8"))
    ]


@cache
def _cli() -> Any:
    """The command tree as click sees it (typer's own copy of click, hence ``Any``)."""
    from api.cli.main import app

    return typer.main.get_command(app)


def _command_named(words: list[str]) -> tuple[Any, list[str]]:
    """Follows the words down the command tree; returns the command reached and the words
    that named it (arguments after a leaf are not commands)."""
    command = _cli()
    path: list[str] = []
    for word in words:
        if not hasattr(command, "commands") or not re.fullmatch(r"[a-z][a-z-]*", word):
            break
        child = command.commands.get(word)
        assert child is not None, f"`regioledger {' '.join([*path, word])}` is no command"
        command, path = child, [*path, word]
    return command, path


def _command_spans() -> list[tuple[str, str]]:
    return [(page, span) for page, span in _spans() if span.startswith("regioledger ")]


def test_the_pages_name_commands():
    assert len(_command_spans()) >= 40


@pytest.mark.parametrize(("page", "span"), _command_spans())
def test_every_command_named_exists_with_its_options(page: str, span: str):
    words = span.split()[1:]
    known = {"--help"}
    for alternative in _alternatives(words):
        command, path = _command_named(alternative)
        assert path or all(word.startswith("--") for word in words), (
            f"{page}: `{span}` names no command"
        )
        known |= {name for parameter in command.params for name in parameter.opts}
    for option in OPTION.findall(span):
        assert option in known, f"{page}: `{span}` names {option}, which it does not take"


def _alternatives(words: list[str]) -> list[list[str]]:
    """``sisa annex show|set`` is two commands."""
    for index, word in enumerate(words):
        if "|" in word and re.fullmatch(r"[a-z|-]+", word):
            return [words[:index] + [choice] + words[index + 1 :] for choice in word.split("|")]
    return [words]


@cache
def _routes() -> list[tuple[str, str]]:
    from api.app import create_app

    routes = []
    for route in create_app("sqlite://").routes:
        # a router included in the app stands for its routes, each with the full path
        contexts = getattr(route, "effective_route_contexts", None)
        for served in contexts() if contexts else [route]:
            for method in getattr(served, "methods", None) or {"GET"}:
                routes.append((method, _shape(served.path)))
    return routes


def _shape(path: str) -> str:
    """A path with every parameter (``{code}``, ``NR``, ``YEAR``) as ``{}``."""
    path = path.split("?")[0].replace("…", "")
    return "/".join(
        "{}" if re.fullmatch(r"\{[^}]*\}|[A-Z]+", part) else part for part in path.split("/")
    )


def _route_spans() -> list[tuple[str, str, str | None]]:
    found = []
    for page, span in _spans():
        method, _, rest = span.partition(" ")
        if method in METHODS:
            found.append((page, rest, method))
        elif re.fullmatch(r"…?/[^\s]*", span):
            found.append((page, span, None))
    return found


def _with_and_without_optional(path: str) -> list[str]:
    """``/deals[/{code}]`` names ``/deals`` and ``/deals/{code}``."""
    match = re.search(r"\[([^\]]*)\]", path)
    if not match:
        return [path]
    head, tail = path[: match.start()], path[match.end() :]
    return [
        *_with_and_without_optional(head + tail),
        *_with_and_without_optional(head + match.group(1) + tail),
    ]


def test_the_pages_name_routes():
    assert len(_route_spans()) >= 60


@pytest.mark.parametrize(("page", "path", "method"), _route_spans())
def test_every_route_named_exists(page: str, path: str, method: str | None):
    for one in _with_and_without_optional(path):
        shape = _shape(one)
        served = [
            served_method
            for served_method, served in _routes()
            if served.endswith(shape) or served.startswith(shape + "/")
        ]
        assert served, f"{page}: `{path}` is no route of the service"
        if method is not None:
            assert method in served, f"{page}: `{method} {one}` is not served (only {served})"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_link_between_the_pages_leads_somewhere(page: Path):
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if target.startswith(("http://", "https://")):
            continue
        assert (page.parent / target).exists(), f"{page.name} links to {target}, which is not there"


def test_the_readme_is_short_and_names_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= README_LINES
    assert "make run" in text and "make test" in text
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"docs/{page.name}" in text, f"the README does not lead to docs/{page.name}"
