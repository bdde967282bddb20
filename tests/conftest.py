"""Shared pytest configuration for the gradient_ext tests.

Hypothesis profiles:

* ``ci``  - fixed seed (derandomize), 300 examples per test, no deadline,
  reproduction blobs printed; loaded when the ``CI`` environment variable is set.
* ``dev`` - random seed, fewer examples, no deadline; the default otherwise.
* ``fuzz`` - random seed, ``GRADIENT_EXT_FUZZ_EXAMPLES`` (default 5000)
  examples per test: the long differential run beyond CI (README,
  Reliability).  Selected by ``GRADIENT_EXT_FUZZ=1``.

Override with ``--hypothesis-profile=NAME``.
"""

import os

from hypothesis import HealthCheck, settings

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
if os.environ.get("GRADIENT_EXT_FUZZ", "0") not in ("", "0"):
    settings.load_profile("fuzz")
else:
    settings.load_profile("ci" if os.environ.get("CI") else "dev")
