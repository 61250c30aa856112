"""The package works as an ordinary install: a built wheel, outside the checkout.

Builds the wheel with this environment's setuptools (no network), installs it
with ``--no-deps`` into a fresh virtual environment that borrows this
environment's dependencies through a ``.pth`` line, and runs the CLI from a
folder outside the repository, so templates and the model must come from the
wheel itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow  # builds a wheel and runs the CLI in a fresh virtual environment


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    pytest.importorskip("setuptools", minversion="77")
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(base / "dist"), str(ROOT)], check=True, cwd=base)
    wheel = next((base / "dist").glob("leerwerkplaats-*.whl"))
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # the wheel goes into the new environment; its dependencies are borrowed from this one
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def _run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "LEERWERKPLAATS_MODEL"}}
    return subprocess.run([str(python), "-m", "leerwerkplaats", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_wheel_ships_templates_model_and_data(installed):
    out = subprocess.run([str(installed), "-c", "import leerwerkplaats, sys; print(leerwerkplaats.__file__)"],
                         capture_output=True, text=True, cwd="/", check=True).stdout
    pkg = Path(out.strip()).parent
    assert not pkg.is_relative_to(ROOT), "the installed package must not be the checkout"
    for rel in ("templates/trainer.html.j2", "templates/handout.css", "models/default/model.skops",
                "models/default/meta.json", "data/tarieven.toml"):
        assert (pkg / rel).is_file(), rel


def test_python_m_version_outside_the_checkout(installed, tmp_path):
    result = _run(installed, "--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "leerwerkplaats" in result.stdout


def test_run_on_two_sample_files_outside_the_checkout(installed, tmp_path):
    cases = tmp_path / "dossiers"
    cases.mkdir()
    for name in ("casus-001.txt", "casus-003.docx"):
        shutil.copy(ROOT / "corpus_sample" / "raw" / name, cases / name)
    result = _run(installed, "run", str(cases), "-o", str(tmp_path / "sessie"), "--formats", "html", "-j", "1",
                  cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    written = sorted(p.name for p in (tmp_path / "sessie").rglob("*.html"))
    assert written.count("trainer.html") == 2 and written.count("deelnemers.html") == 2
