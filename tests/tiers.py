"""Splitting a large looped comparison between the fast tier and the slow one.

A looped test (one item running hundreds of seeded cases) takes the ``part``
parameter ``PARTS``: its "fast" item runs one case in ``every`` (picked by a
hash of the case's name, so every dimension of the loop is sampled, and the
same cases every run), its "rest" item, marked ``slow``, runs all the others.
``pytest --full`` runs both, so it covers exactly the whole loop, once.

    @pytest.mark.parametrize("part", PARTS)
    def test_many(part):
        share = Share(part, every=8)
        for case in cases():
            if share(case.name):
                check(case)
        assert share.taken > 0
"""

import zlib

import pytest

PARTS = [pytest.param("fast", id="fast"), pytest.param("rest", id="rest", marks=pytest.mark.slow)]


class Share:
    """Which cases of a loop the item of ``part`` ("fast" or "rest") runs."""

    def __init__(self, part, every):
        assert part in ("fast", "rest") and every >= 1
        self.part, self.every = part, every
        self.taken = 0          # cases this item ran
        self.seen = 0           # cases of the whole loop

    def __call__(self, *name):
        """Whether this item runs the case called ``name`` (any reprs, stable across runs)."""
        self.seen += 1
        fast = zlib.crc32(repr(name).encode()) % self.every == 0
        take = fast == (self.part == "fast")
        self.taken += take
        return take

    def filter(self, cases):
        """The ``(description, ...)`` tuples of ``cases`` this item runs."""
        return (case for case in cases if self(case[0]))
