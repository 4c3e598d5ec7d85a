"""The packages of app/ stand in one order: a package imports only packages below it, never one above.

Every import counts, at module level or inside a function. docs/architecture.md explains the order.
"""
import ast
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"

# Leaves: routing imports nothing of the app, core only the extensions, security core and the extensions;
# none of them a domain package.
LEAVES = {"routing": set(), "extensions": set(), "core": {"extensions"}, "security": {"extensions", "core"}}
# The domain packages, lowest first. Each may import the leaves and any package before it.
ORDER = ["categories", "stations", "accounts", "reports", "triage", "delivery", "oversight", "api"]
# The composition layer on top: each may import everything below, but not one another.
TOP = {"home", "demo", "offline"}
# The app factory, the model registry and the periodic-job list wire everything together.
ROOTS = {"__init__", "models", "jobs"}


def allowed(importer, imported):
    """Return True when package importer may import package imported."""
    if importer == imported or importer in ROOTS:
        return True
    if importer in LEAVES:
        return imported in LEAVES[importer]
    if imported in LEAVES:
        return True
    if importer in TOP:
        return imported not in TOP
    if imported in TOP or importer not in ORDER or imported not in ORDER:
        return False
    return ORDER.index(imported) < ORDER.index(importer)


def package_imports():
    """Return {(importer, imported): [(file, line, module)]} over every import of app/, however nested."""
    found = defaultdict(list)
    for path in sorted(APP.rglob("*.py")):
        parts = path.relative_to(APP).parts
        importer = parts[0] if len(parts) > 1 else path.stem
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            elif isinstance(node, ast.ImportFrom) and node.level:
                modules = []  # relative imports stay inside their package
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                names = module.split(".")
                if names[0] == "app" and len(names) > 1:
                    found[(importer, names[1])].append((str(path.relative_to(APP.parent)), node.lineno, module))
    return found


def test_every_package_has_a_place_in_the_order():
    packages = {p.name for p in APP.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    placed = set(LEAVES) | set(ORDER) | TOP
    assert packages <= placed, f"place these in tests/test_layers.py and docs/architecture.md: {packages - placed}"


def test_no_package_imports_one_above_it():
    found = package_imports()
    wrong = [f"{where}:{line} {importer} -> {imported} ({module})"
             for (importer, imported), sites in sorted(found.items())
             if not allowed(importer, imported) for where, line, module in sites]
    assert wrong == [], f"{len(wrong)} imports go up or sideways:\n" + "\n".join(wrong)


def test_no_two_packages_depend_on_each_other():
    pairs = {pair for pair in package_imports() if pair[0] not in ROOTS and pair[0] != pair[1]}
    both_ways = sorted({tuple(sorted(pair)) for pair in pairs if (pair[1], pair[0]) in pairs})
    assert both_ways == [], f"two-way package dependencies: {both_ways}"
