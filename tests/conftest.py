"""Shared pytest configuration for the gradient_ext tests.

Two tiers (docs/contributing/building_testing.rst):

* ``pytest``: the fast tier, every feature in well under a minute on two cores.
  Tests marked ``slow`` (stress, leaks, process pools, a dask cluster,
  fork/spawn children, mypy/stubtest, the large looped comparisons beyond a
  representative subset) are deselected, and Hypothesis tests run at most
  ``FAST_EXAMPLES`` examples unless a profile is named.
* ``pytest --full``: both tiers, what CI runs.  ``-m EXPR`` overrides the
  choice (``pytest -m slow`` runs the slow tier alone), and a test named on
  the command line (``path::test``) runs whatever its tier.
* tiers.py splits the large looped comparisons between the tiers.

The summary line "oracle comparisons" counts the results compared, bit for
bit, with numpy's own gradient (tests/oracle.py), per test file.

Hypothesis profiles:

* ``ci``  - fixed seed (derandomize), 300 examples per test, no deadline,
  reproduction blobs printed; loaded when the ``CI`` environment variable is set.
* ``dev`` - random seed, fewer examples, no deadline; the default otherwise.
* ``fuzz`` - random seed, ``GRADIENT_EXT_FUZZ_EXAMPLES`` (default 5000)
  examples per test: the long differential run beyond CI
  (docs/guide/reliability.rst).  Selected by ``GRADIENT_EXT_FUZZ=1``.

Override with ``--hypothesis-profile=NAME``.
"""

import collections
import os

import pytest
from hypothesis import HealthCheck, settings

import oracle

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=300,
    deadline=None,
    print_blob=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev",
    max_examples=100,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz",
    derandomize=False,
    max_examples=int(os.environ.get("GRADIENT_EXT_FUZZ_EXAMPLES", "5000")),
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = os.environ.get("GRADIENT_EXT_FUZZ", "0") not in ("", "0")
if FUZZ:
    settings.load_profile("fuzz")
else:
    settings.load_profile("ci" if os.environ.get("CI") else "dev")

# Hypothesis examples per test in the fast tier (the profile's count with --full).
FAST_EXAMPLES = 25
_DESELECTED = pytest.StashKey[int]()


def pytest_addoption(parser):
    parser.addoption("--full", action="store_true", default=False,
                     help="run both tiers: the fast default and the tests marked slow "
                          "(stress, leaks, process pools, cluster, fork/spawn, mypy, "
                          "large looped comparisons); what CI runs")


def _tier(config):
    if config.getoption("--full"):
        return "full"
    if config.getoption("markexpr", ""):
        return "by -m"
    return "fast"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: the slow tier, run by --full (docs/contributing/building_testing.rst)")
    if not config.pluginmanager.hasplugin("run-parallel"):
        # pytest-run-parallel (the test extra) registers its markers; without it they
        # are inert labels, registered here so that they raise no warning
        config.addinivalue_line("markers", "thread_unsafe(reason=None): run this test in one "
                                           "thread under pytest --parallel-threads")
        config.addinivalue_line("markers", "force_parallel_threads(n): run this test in n "
                                           "threads (pytest-run-parallel)")
    explicit = config.getoption("hypothesis_profile", None)
    if _tier(config) == "fast" and not explicit and not FUZZ:
        current = settings.default
        settings.register_profile("fast-tier", current,
                                  max_examples=min(FAST_EXAMPLES, current.max_examples))
        settings.load_profile("fast-tier")


def _named(config):
    """(file name, test part) of each test named on the command line (``path::name...``)."""
    named = []
    for arg in config.args:
        path, sep, rest = str(arg).partition("::")
        if sep:
            named.append((os.path.basename(path), rest))
    return named


def _is_named(item, named):
    path, _, rest = item.nodeid.partition("::")
    return any(os.path.basename(path) == file and (rest == test or rest.startswith(test + "[")
                                                   or rest.startswith(test + "::"))
               for file, test in named)


def pytest_collection_modifyitems(config, items):
    if _tier(config) != "fast":
        return
    named = _named(config)      # a test named on the command line runs, whatever its tier
    kept, slow = [], []
    for item in items:
        deselect = item.get_closest_marker("slow") and not _is_named(item, named)
        (slow if deselect else kept).append(item)
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = kept
    config.stash[_DESELECTED] = len(slow)


@pytest.fixture(autouse=True)
def _count_oracle_comparisons(request):
    """Records how many oracle comparisons the test made (junit-xml property too)."""
    before = oracle.comparisons()
    yield
    request.node.user_properties.append(("oracle_comparisons", oracle.comparisons() - before))


_COMPARED = collections.Counter()       # test id -> oracle comparisons


def pytest_runtest_logreport(report):
    if report.when == "teardown":
        for name, value in report.user_properties:
            if name == "oracle_comparisons" and value:
                _COMPARED[report.nodeid] += value


def pytest_terminal_summary(terminalreporter, config):
    write = terminalreporter.write_line
    tier = _tier(config)
    deselected = config.stash.get(_DESELECTED, 0)
    if tier == "fast":
        write(f"tier: fast ({deselected} slow tests deselected; `pytest --full` runs both tiers)")
    else:
        write(f"tier: {tier}")
    total = sum(_COMPARED.values())
    if not total:
        return
    per_file = collections.Counter()
    for nodeid, n in _COMPARED.items():
        per_file[os.path.basename(nodeid.split("::")[0])] += n
    files = ", ".join(f"{f} {n:,}" for f, n in per_file.most_common())
    write(f"oracle comparisons (results of numpy's own gradient compared bit for bit): "
          f"{total:,} in {len(_COMPARED)} tests ({files})")
    if config.getoption("verbose") > 0:         # -v: per test
        for nodeid, n in sorted(_COMPARED.items()):
            write(f"    {n:8,}  {nodeid}")
