"""Sphinx configuration of gradient_ext's documentation site.

Built by tools/build_docs.sh (html with warnings as errors, then the doctests)
from the package that Python imports: an install (editable or not), or an
in-place build named on ``PYTHONPATH``.
"""

import datetime
import os
import platform
import sys

# ``python -m sphinx`` run from the clone puts the clone first on sys.path,
# and the source tree (without built kernels beside a non-editable install)
# would shadow the installed package.  The pages document the installed
# one: drop that implicit entry (an explicit PYTHONPATH entry stays, and an
# editable install finds the tree through its own hook).  autodoc and the
# gallery then import gradient_ext and its modules from where it was found.
_TREE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_EXPLICIT = {os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p}
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == _TREE and _TREE not in _EXPLICIT:
    del sys.path[0]

import gradient_ext  # noqa: E402

project = "gradient_ext"
author = "the gradient_ext developers"
copyright = f"{datetime.date.today().year}, {author}"
version = release = gradient_ext.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py",
                    "auto_examples/*.zip", "auto_examples/*.json"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["custom.css"]

# API reference: one page per public name, from the numpy-style docstrings.
autosummary_generate = True
numpydoc_show_class_members = False
numpydoc_validation_checks = set()

# No network at build time: intersphinx has no inventories, so references to
# numpy/xarray/dask stay plain text.
intersphinx_mapping = {}

# Doctests: every ``>>>`` block of the pages and of the docstrings runs
# (sphinx-build -b doctest); numpy is there without an import in each block.
doctest_global_setup = """
import numpy as np
np.set_printoptions(legacy=False)
import importlib.util
# The accessor's examples run where gradient_ext.xarray exists.
HAS_XARRAY_ACCESSOR = importlib.util.find_spec("gradient_ext.xarray") is not None
"""
doctest_default_flags = (__import__("doctest").NORMALIZE_WHITESPACE
                         | __import__("doctest").ELLIPSIS)

# The gallery: examples/*.py run at build time and draw their figures.
sphinx_gallery_conf = {
    "examples_dirs": os.path.join(os.path.dirname(__file__), "..", "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "within_subsection_order": "FileNameSortKey",
    "show_memory": False,
    "image_scrapers": ("matplotlib",),
    "capture_repr": (),            # no "Out: <Legend ...>" after a cell's last call
}

html_theme = "pydata_sphinx_theme"
html_title = f"gradient_ext {version}"
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    # The page's table of contents on the right; none on the API pages (one entry).
    "secondary_sidebar_items": {"index": ["page-toc"], "getting_started": ["page-toc"],
                                "api": ["page-toc"], "guide/*": ["page-toc"],
                                "contributing/*": ["page-toc"], "auto_examples/*": ["page-toc"],
                                "generated/*": []},
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_show_sourcelink = False
# Pages without sub-pages have no section navigation to show.
html_sidebars = {"getting_started": [], "api": []}
html_context = {"default_mode": "light"}
# Which machine built these pages (the gallery's speed figure says it too).
html_last_updated_fmt = f"%Y-%m-%d, built on {platform.system()} {platform.machine()}"
