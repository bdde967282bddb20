"""The README: its example runs as shown, its links lead to files that exist,
and it keeps the two commands that .ci/run runs (the rest lives in docs/)."""

import doctest
import pathlib
import re

import pytest

from helpers import runs_doctest

ROOT = pathlib.Path(__file__).parents[1]
README = ROOT / "README.md"


@pytest.fixture(scope="module")
def readme():
    if not README.exists():
        pytest.skip("README.md is not beside the tests (installed package)")
    return README.read_text()


@runs_doctest
def test_example_runs(readme):
    # Code fences would otherwise be read as the end of an expected output.
    test = doctest.DocTestParser().get_doctest(
        readme.replace("```", ""), {}, "README", str(README), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 5 and result.failed == 0


def test_relative_links_exist(readme):
    targets = [t for t in re.findall(r"\]\(([^)#\s]+)[^)]*\)", readme)
               if "://" not in t]
    assert len(targets) >= 10                # the links into the docs
    missing = [t for t in targets if not (ROOT / t).exists()]
    assert missing == []


def test_the_two_commands(readme):
    # .ci/run runs exactly these; the docs' getting started page repeats them.
    page = ROOT / "docs" / "getting_started.rst"
    for command in ("pip install -e . && python -m gradient_ext",
                    "pip install -e '.[test]' && pytest --full"):
        assert command in readme
        if page.exists():
            assert command in page.read_text()
