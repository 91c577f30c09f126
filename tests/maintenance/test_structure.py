"""The habits a maintainer relies on, checked: the transaction rule, feature faces, no cycles
between features, declared dependencies in use, and committed Word templates that are current."""

from __future__ import annotations

import ast
import importlib
import tomllib
from collections import defaultdict
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dialog"
FEATURES = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "views.py").exists()) + [
    "demo"
]
# The edges of the application: they (and only they) commit. See dialog/transaction.py, which
# itself commits a request's transaction that wrote nothing (keeps the prepared statements).
EDGE_NAMES = {"views.py", "api.py", "cli.py", "worker.py", "transaction.py"}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _is_edge(path: Path) -> bool:
    return path.name in EDGE_NAMES or path.name.endswith("_views.py")


def _feature_of(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 and parts[0] in FEATURES else None


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = ["dialog", *path.relative_to(PACKAGE).parts[:-1]]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def test_the_features_are_found():
    assert {"dialogues", "findings", "invitations", "planning", "registers"} <= set(FEATURES)


def test_only_the_edges_commit():
    offenders = []
    for path, tree in _modules():
        if _is_edge(path):
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "commit"
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, "services flush, the edge commits: " + ", ".join(offenders)


def test_no_function_takes_a_commit_flag():
    flags = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = node.args.args + node.args.kwonlyargs
                if any(a.arg == "commit" for a in arguments):
                    flags.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not flags, flags


def _faces() -> dict[str, set[str]]:
    faces = {}
    for feature in FEATURES:
        module = importlib.import_module(f"dialog.{feature}")
        assert hasattr(module, "__all__"), f"dialog/{feature}/__init__.py names no __all__"
        faces[feature] = set(module.__all__)
    return faces


def _cross_feature_uses():
    """(module path, line, importing feature, imported feature, submodule or None, name)."""
    for path, tree in _modules():
        own = _feature_of(path)
        aliases: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = _absolute(path, node)
                parts = target.split(".")
                if parts[0] != "dialog":
                    continue
                if len(parts) == 1:  # from dialog import feature
                    for alias in node.names:
                        if alias.name in FEATURES and alias.name != own:
                            aliases[alias.asname or alias.name] = alias.name
                    continue
                feature = parts[1]
                if feature not in FEATURES or feature == own:
                    continue
                submodule = ".".join(parts[2:]) or None
                for alias in node.names:
                    yield path, node.lineno, own, feature, submodule, alias.name
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] == "dialog" and len(parts) > 1 and parts[1] in FEATURES:
                        if parts[1] != own:
                            yield path, node.lineno, own, parts[1], ".".join(parts[2:]), "*"
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
            ):
                yield path, node.lineno, own, aliases[node.value.id], None, node.attr


def test_features_use_each_other_only_through_their_faces():
    faces = _faces()
    breaches = []
    for path, line, _own, feature, submodule, name in _cross_feature_uses():
        where = f"{path.relative_to(ROOT)}:{line}"
        if submodule:
            breaches.append(f"{where} imports dialog.{feature}.{submodule}")
        elif name.startswith("_") or name not in faces[feature]:
            breaches.append(f"{where} uses {feature}.{name}, not in its __all__")
    assert not breaches, "\n".join(breaches)


def test_no_cycles_between_features():
    graph = defaultdict(set)
    for _path, _line, own, feature, _sub, _name in _cross_feature_uses():
        if own is not None:
            graph[own].add(feature)

    def reaches(start, goal, seen=()):
        return any(
            n == goal or (n not in seen and reaches(n, goal, (*seen, n))) for n in graph[start]
        )

    cycles = [f for f in FEATURES if reaches(f, f)]
    assert not cycles, {f: sorted(graph[f]) for f in cycles}


# --- dependencies ----------------------------------------------------------------------------

# Declared but used as a program or a plug-in rather than imported; each with its reason.
NOT_IMPORTED = {
    "gunicorn": "the production web server, started as a command",
    "psycopg": "the PostgreSQL driver SQLAlchemy loads from a postgresql+psycopg:// URL",
    "tzdata": "time-zone data for zoneinfo on machines without the system database",
    "pytest-timeout": "a pytest plug-in, enabled by being installed",
    "ruff": "the linter and formatter, run as a command by the test command",
}


def _imported_top_names(*folders: str) -> set[str]:
    names = set()
    for folder in folders:
        base = ROOT / folder
        paths = [base] if base.is_file() else sorted(base.rglob("*.py"))
        for path in paths:
            if "node_modules" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names.update(a.name.split(".")[0] for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module.split(".")[0])
    return names


def _requirement_name(spec: str) -> str:
    for stop in "<>=!~[; ":
        spec = spec.split(stop)[0]
    return spec.strip().lower().replace("_", "-")


def _unused(requirements: list[str], imported: set[str]) -> list[str]:
    providers = defaultdict(set)  # distribution -> its top-level import names
    for top, distributions in packages_distributions().items():
        for dist in distributions:
            providers[dist.lower().replace("_", "-")].add(top)
    unused = []
    for spec in requirements:
        name = _requirement_name(spec)
        if name in NOT_IMPORTED:
            continue
        tops = providers.get(name)
        assert tops, f"{name} is declared but not installed"
        if not tops & imported:
            unused.append(name)
    return unused


def test_every_declared_dependency_is_imported():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _imported_top_names("dialog", "app.py", "migrations")
    assert not _unused(project["dependencies"], runtime), "runtime dependencies never imported"
    tests = _imported_top_names("tests", "benchmarks", "tools") | runtime
    unused = _unused(project["optional-dependencies"]["test"], tests)
    assert not unused, f"test dependencies never imported: {unused}"


# --- Word templates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    sorted(
        [
            "agenda.docx",
            "kallelse.docx",
            "dokumentationsmall.docx",
            "stodmaterial.docx",
            "sammanstallning.docx",
            "protokoll.docx",
            "handlingsplan.docx",
        ]
    ),
)
def test_committed_templates_equal_a_fresh_build(name):
    import io
    import zipfile

    from tools.templates import TEMPLATE_DIR, build_all

    fresh = zipfile.ZipFile(io.BytesIO(build_all()[name]))
    committed = zipfile.ZipFile(TEMPLATE_DIR / name)
    assert sorted(fresh.namelist()) == sorted(committed.namelist())
    stale = [n for n in fresh.namelist() if fresh.read(n) != committed.read(n)]
    assert not stale, f"{name}: run `make templates` ({stale})"
