"""One source of truth for the version: gradient_ext.__version__, which the
build reads (pyproject.toml: dynamic version), so the installed metadata agrees."""

from importlib.metadata import version

import gradient_ext


def test_metadata_version_is_the_package_version():
    assert version("gradient_ext") == gradient_ext.__version__
