"""``python -m gradient_ext bench`` and the demo: cases, the timing/checking engine
(``engine``), the dask and beyond-numpy rows, and the demonstration (``demo``).
The asv suite in ``benchmarks/`` imports its cases from here."""
