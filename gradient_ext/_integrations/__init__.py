"""Other array libraries: NEP 18 duck-array dispatch (``duck_arrays``) and lazy
dask gradients on the kernels (``dask_arrays``, ``dask_schemes``).  Nothing here
imports dask: ``duck_arrays`` looks in ``sys.modules`` first."""
