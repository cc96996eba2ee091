"""Every module of rules has its own test module here, so no rule is reached only through a
database."""

from pathlib import Path

import ledger.regio.rules

HERE = Path(__file__).resolve().parent
RULES = Path(ledger.regio.rules.__file__).resolve().parent


def test_every_rules_module_has_a_test_module():
    modules = {p.stem for p in RULES.glob("*.py")} - {"__init__"}
    assert modules >= {
        "common",
        "budget",
        "deals",
        "beschikkingen",
        "conversion",
        "accountability",
        "sisa",
        "wording",
    }
    missing = {m for m in modules if not (HERE / f"test_{m}.py").exists()}
    assert not missing, f"rules modules without tests in tests/unit/regio: {sorted(missing)}"
    assert (
        HERE / "test_regelingen.py"
    ).exists()  # ledger/regio/regelingen.py: the regelingen's rules
