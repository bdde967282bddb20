"""show_config() and `python -m gradient_ext info`: the build report a bug report
needs, consistent with what the package reports elsewhere."""

import json
import os
import platform
import sys

import numpy as np
import pytest

import gradient_ext
from builds import kernels  # noqa: F401 - the fixture
from gradient_ext import openmp_info, show_config
from helpers import python

SECTIONS = ["gradient_ext", "kernels", "openmp", "compiler_flags", "numpy", "python", "machine"]


def _info(**env):
    """`python -m gradient_ext info`, parsed, in a child with ``env`` added."""
    ran = python("-m", "gradient_ext", "info", env={**os.environ, **env})
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)


def test_dicts_report_the_versions_and_the_threads():
    report = show_config(mode="dicts")
    assert list(report) == SECTIONS
    assert report["gradient_ext"]["version"] == gradient_ext.__version__
    assert report["numpy"]["version"] == np.__version__
    assert report["python"]["version"] == platform.python_version()
    omp = openmp_info()
    assert report["openmp"]["compiled"] is omp["openmp"]
    assert report["openmp"]["threads_workers_none"] == omp["threads"]
    assert report["kernels"]["in_use"] == omp["kernels"]
    assert omp["kernels"] in report["kernels"]["available"]
    assert report["kernels"]["reason"]


def test_the_kernels_in_use_follow_the_build_swapped_in(kernels):  # noqa: F811
    assert show_config(mode="dicts")["kernels"]["in_use"] == kernels.__name__.rsplit(".", 1)[-1]


def test_the_build_flags_keep_the_bits():
    flags = show_config(mode="dicts")["compiler_flags"]
    assert flags["recorded"], "setup.py wrote no gradient_ext/_build_config.py"
    assert set(flags["extensions"]) == set(show_config(mode="dicts")["kernels"]["available"])
    assert flags["unsafe_math"] == []
    if flags["compiler"] != "msvc":
        assert flags["fp_contract_off"] is True
        assert all("-ffp-contract=off" in f for f in flags["extensions"].values())
        assert not any("-march=native" in f for f in flags["extensions"].values())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_the_openmp_runtime_file_is_the_one_mapped():
    report = show_config(mode="dicts")["openmp"]
    if not report["compiled"]:
        assert report["runtime_file"] is None
        return
    path = report["runtime_file"]
    assert path and "omp" in os.path.basename(path), path
    with open("/proc/self/maps") as fh:
        mapped = {os.path.realpath(line.split()[-1]) for line in fh if "/" in line}
    assert os.path.realpath(path) in mapped


def test_stdout_prints_the_same_report(capsys):
    assert show_config() is None
    assert json.loads(capsys.readouterr().out) == show_config(mode="dicts")


def test_an_unknown_mode_raises():
    with pytest.raises(ValueError, match="stdout"):
        show_config(mode="yaml")


def test_python_m_gradient_ext_info():
    report = _info()
    here = show_config(mode="dicts")
    for section in ("gradient_ext", "kernels", "compiler_flags", "numpy"):
        assert report[section] == here[section]
    assert report["openmp"]["runtime_file"] == here["openmp"]["runtime_file"]


def test_info_says_why_the_baseline_kernels_run():
    report = _info(GRADIENT_EXT_KERNELS="baseline")
    assert report["kernels"]["in_use"] == "_kernels"
    assert "GRADIENT_EXT_KERNELS=baseline" in report["kernels"]["reason"]
