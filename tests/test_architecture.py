"""The package tree reads as the pipeline: each stage imports only stages below it."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "leerwerkplaats"
#: Bottom first. A module may import its own stage and the stages before it.
STAGES = ("core", "reading", "privacy", "review", "tagging", "research", "handouts", "run", "cli")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import; use leerwerkplaats.<stage>"
            if node.module:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m.startswith("leerwerkplaats")}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


@pytest.mark.parametrize("stage", STAGES)
def test_no_stage_imports_a_higher_one(stage):
    allowed = set(STAGES[: STAGES.index(stage) + 1])
    bad = []
    for path in sorted((PACKAGE / stage).rglob("*.py")):
        for module in _imports(path):
            target = _stage(module)
            if target is not None and target not in allowed:
                bad.append(f"{path.relative_to(ROOT)} imports {module}")
    assert bad == []


def test_every_module_belongs_to_a_stage():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in {"__init__.py", "__main__.py"}]
    assert loose == []
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders - {"data"} <= set(STAGES)


@pytest.mark.slow  # a fresh Python process per stage
@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_imports_alone(stage):
    # a fresh interpreter, so nothing imported by another test hides a cycle
    code = f"import importlib; importlib.import_module('leerwerkplaats.{stage}')"
    for path in sorted((PACKAGE / stage).glob("*.py")):
        if path.stem != "__init__":
            code += f"; importlib.import_module('leerwerkplaats.{stage}.{path.stem}')"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_packages_listed_in_pyproject_match_the_folders():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {"leerwerkplaats"} | {f"leerwerkplaats.{p.name}" for p in PACKAGE.iterdir()
                                  if (p / "__init__.py").exists()}
    assert listed == found | {"leerwerkplaats.templates", "leerwerkplaats.models"}


def test_shipped_templates_and_model_are_found_through_importlib():
    shipped = importlib.import_module("leerwerkplaats.core.shipped")
    assert (shipped.templates_dir() / "trainer.html.j2").is_file()
    assert (shipped.default_model_dir() / "meta.json").is_file()


def test_no_import_cycles_between_modules():
    modules = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
               for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for module in _imports(path):
            # "from leerwerkplaats.x import y" may name the module x.y or a name in x
            targets |= {m for m in (module,) if m in modules and m != name}
        graph[name] = targets
    seen, stack, cycles = set(), [], []

    def visit(node):
        if node in stack:
            cycles.append(stack[stack.index(node):] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        stack.append(node)
        for nxt in sorted(graph[node]):
            visit(nxt)
        stack.pop()

    for node in sorted(graph):
        visit(node)
    # a package __init__ may re-export from its own modules; that is not a cycle of logic
    cycles = [c for c in cycles if not any(m.count(".") == 1 and modules[m].name == "__init__.py" for m in c)]
    assert cycles == []
