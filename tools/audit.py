"""`make audit`: pip-audit over the installed dependencies, said plainly.

Fails (exit 1) when a dependency has a known vulnerability. When the vulnerability database
cannot be reached (a machine without access to pypi.org or osv.dev), pip-audit skips every
package; this script then says that nothing was audited instead of reporting a clean bill,
and fails only if REGIOLEDGER_AUDIT_STRICT=1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def main() -> int:
    pip_audit = Path(sys.executable).parent / "pip-audit"
    done = subprocess.run(
        [str(pip_audit), "--skip-editable", "--format", "json", "--progress-spinner", "off"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit gave no report: {done.stderr.strip()[-500:]}", file=sys.stderr)
        return 1
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            print(
                f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {', '.join(vuln.get('fix_versions', [])) or '-'})"
            )
    print(
        f"pip-audit: {len(audited)} of {len(dependencies)} dependencies audited, {len(vulnerable)} vulnerable."
    )
    if vulnerable:
        return 1
    if dependencies and not audited:
        print(
            "NOT AUDITED: the vulnerability database could not be reached from this machine.",
            file=sys.stderr,
        )
        return 1 if os.environ.get("REGIOLEDGER_AUDIT_STRICT") == "1" else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
