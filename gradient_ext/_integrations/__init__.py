"""Other array libraries: NEP 18 duck-array dispatch (``duck_arrays``); what chunked
callers share (``chunks``: the planner's reading as Steps and Terms); lazy dask results
on the kernels (``dask_arrays`` reads the call, ``dask_blocks`` runs it).  Nothing here
imports dask at import time: ``duck_arrays`` looks in ``sys.modules`` first."""
