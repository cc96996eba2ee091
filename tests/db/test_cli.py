"""The installed `regioledger` command, run as a user would."""

import os
import subprocess
import sys
from pathlib import Path

COMMAND = Path(sys.executable).parent / "regioledger"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "REGIOLEDGER_DATABASE_URL"}
    return subprocess.run(
        [str(COMMAND), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_upgrade_creates_the_default_database_in_the_working_directory(tmp_path):
    result = run("db", "upgrade", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "regioledger.db").exists()
    verified = run("verify", cwd=tmp_path)
    assert verified.returncode == 0
    assert "Checked 0 entries" in verified.stdout


def test_help_explains_the_commands(tmp_path):
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("db", "verify", "balance", "trial-balance"):
        assert command in result.stdout


def test_balance_of_an_unknown_account_is_a_clear_error(tmp_path):
    run("db", "upgrade", cwd=tmp_path)
    result = run("balance", "nope", cwd=tmp_path)
    assert result.returncode == 1
    assert "unknown_account" in result.stderr
