"""The fast lane (``-m "not slow"``): the names conftest marks slow still exist, and the rule holds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import SLOW_BY_NAME, SLOW_FIXTURES, is_slow

HERE = Path(__file__).resolve().parent


def _test_names(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


@pytest.mark.parametrize("module", sorted(SLOW_BY_NAME))
def test_every_test_marked_slow_by_name_exists(module):
    assert set(SLOW_BY_NAME[module]) <= _test_names(HERE / module)


def test_every_collected_test_that_the_rule_calls_slow_is_marked(request):
    unmarked = [i.nodeid for i in request.session.items if is_slow(i) and not i.get_closest_marker("slow")]
    assert unmarked == []


def test_the_real_tagger_is_a_slow_fixture():
    assert "tagger" in SLOW_FIXTURES
