"""Fallback dependency audit for machines where pip-audit's advisory source does not answer.

pip-audit asks PyPI's per-release JSON (/pypi/<name>/<version>/json) for the advisories of each
installed version. Where only the project JSON (/pypi/<name>/json) answers, that JSON lists the
advisories of the project's LATEST release. So every installed distribution whose version is the
latest release can still be audited exactly; one that is behind cannot be judged here and is
listed as "not checked" (never counted as clean).

Run with the virtual environment's Python, so that its distributions are the ones audited:
    .venv/bin/python .ci/audit_latest.py [--json-url https://pypi.org/pypi] [--exceptions FILE]
Exits 1 when an installed version has an advisory that is not in the exceptions file, 2 when the
project JSON does not answer at all, 0 otherwise.
"""
import argparse
import json
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import distributions
from pathlib import Path


def installed():
    """Return {name: version} of the distributions this Python sees."""
    return {dist.metadata["Name"]: dist.version for dist in distributions() if dist.metadata["Name"]}


def exceptions(path):
    """Return the advisory ids listed in the exceptions file (first word of each non-comment line)."""
    if not path or not Path(path).exists():
        return set()
    return {line.split()[0] for line in Path(path).read_text().splitlines()
            if line.strip() and not line.lstrip().startswith("#")}


def lookup(base, name):
    """Return (latest version, advisories of the latest release) from the project JSON, or (None, error)."""
    try:
        with urllib.request.urlopen(f"{base}/{name}/json", timeout=20) as answer:  # nosec B310
            data = json.load(answer)
    except (OSError, urllib.error.URLError, ValueError) as error:
        return None, str(error)[:120]
    return data["info"]["version"], data.get("vulnerabilities") or []


def advisory_ids(advisory):
    return {advisory.get("id"), *(advisory.get("aliases") or [])} - {None}


def audit(packages, base, accepted):
    """Return (clean, flagged, behind, failed): lists of text lines, one per distribution."""
    clean, flagged, behind, failed = [], [], [], []
    with ThreadPoolExecutor(8) as pool:
        answers = dict(zip(packages, pool.map(lambda name: lookup(base, name), packages), strict=True))
    for name in sorted(packages, key=str.lower):
        version, (latest, found) = packages[name], answers[name]
        if latest is None:
            failed.append(f"{name} {version}: lookup failed ({found})")
        elif latest != version:
            behind.append(f"{name} {version} (latest {latest})")
        else:
            open_ones = [a for a in found if not advisory_ids(a) & accepted]
            if open_ones:
                ids = ", ".join(sorted(a.get("id", "?") for a in open_ones))
                flagged.append(f"{name} {version}: {ids}")
            else:
                clean.append(name)
    return clean, flagged, behind, failed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json-url", default="https://pypi.org/pypi", help="base of the project JSON API")
    parser.add_argument("--exceptions", default=str(Path(__file__).with_name("audit-exceptions.txt")))
    args = parser.parse_args(argv)
    packages = installed()
    clean, flagged, behind, failed = audit(packages, args.json_url.rstrip("/"), exceptions(args.exceptions))
    if len(failed) == len(packages):
        print(f"!! fallback audit NOT RUN: the project JSON at {args.json_url} does not answer ({failed[0]})")
        return 2
    print(f"fallback audit of {len(packages)} installed distributions against the advisories of their latest "
          f"release: {len(clean)} clean, {len(flagged)} with advisories, {len(behind)} not checked (behind the "
          f"latest release), {len(failed)} lookups failed")
    for title, lines in (("ADVISORY", flagged), ("not checked", behind), ("lookup failed", failed)):
        for line in lines:
            print(f"  {title}: {line}")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
