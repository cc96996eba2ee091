"""What the browser tests share: Debian's chromium (required in CI, else the module is skipped),
one headless browser per module, and axe-core's verdict on a page (no violation of any impact,
WCAG 2.1 AA)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def require_chromium(tests: str) -> None:
    """Skip the calling module without chromium (a failure in CI: ``.ci/run`` installs it)."""
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"CI needs chromium for the {tests} (.ci/run installs it).")
        pytest.skip(f"chromium is not installed (the {tests} run in CI)", allow_module_level=True)


def launched() -> Iterator[Any]:
    """A headless chromium for a module's tests (the body of its ``browser`` fixture)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def violations(page: Any) -> list[tuple[str, str, list[Any]]]:
    """Every axe-core violation on the page as it stands, with its first nodes."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found]


def accessible(page: Any) -> Any:
    """The page, after axe-core found no violation of any impact on it."""
    bad = violations(page)
    assert bad == [], (page.url, bad)
    return page
