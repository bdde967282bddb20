"""Shared pytest configuration for the gradient_ext tests.

Hypothesis profiles:

* ``ci``  - fixed seed (derandomize), 300 examples per test, no deadline,
  reproduction blobs printed; loaded when the ``CI`` environment variable is set.
* ``dev`` - random seed, fewer examples, no deadline; the default otherwise.

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
settings.load_profile("ci" if os.environ.get("CI") else "dev")
