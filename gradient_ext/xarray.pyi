from collections.abc import Hashable, Iterable, Mapping
from typing import Any, Generic, TypeVar

import numpy as np
import xarray as xr

__all__ = ["GradientAccessor"]

ACCESSOR: str
Boundary = str | Mapping[Hashable, str]
Period = float | np.timedelta64 | Mapping[Hashable, float | np.timedelta64 | None] | None
T = TypeVar("T", xr.DataArray, xr.Dataset)

def time_numbers(values: Any, unit: str | None) -> Any: ...

# ``obj.gx`` is added at run time, which type checkers do not see: typed code
# writes ``GradientAccessor(obj)`` for ``obj.gx``.
class GradientAccessor(Generic[T]):
    def __init__(self, obj: T) -> None: ...
    def derivative(
        self,
        dim: Hashable,
        n: int = 1,
        accuracy: int = 2,
        boundary: Boundary = "one-sided",
        period: Period = None,
        edge_order: int = 1,
        datetime_unit: str | None = None,
        workers: int | None = None,
        constant_values: Any = None,
        nan: str = "propagate",
    ) -> T: ...
    def gradient(
        self,
        dims: Hashable | Iterable[Hashable] | None = None,
        accuracy: int = 2,
        boundary: Boundary = "one-sided",
        period: Period = None,
        edge_order: int = 1,
        datetime_unit: str | None = None,
        workers: int | None = None,
        constant_values: Any = None,
        nan: str = "propagate",
    ) -> tuple[T, ...]: ...
    def laplacian(
        self,
        dims: Hashable | Iterable[Hashable] | None = None,
        accuracy: int = 2,
        boundary: Boundary = "one-sided",
        period: Period = None,
        datetime_unit: str | None = None,
        workers: int | None = None,
        constant_values: Any = None,
        nan: str = "propagate",
    ) -> T: ...
    def mixed_derivative(
        self,
        orders: Mapping[Hashable, int],
        accuracy: int = 2,
        boundary: Boundary = "one-sided",
        period: Period = None,
        edge_order: int = 1,
        datetime_unit: str | None = None,
        workers: int | None = None,
        constant_values: Any = None,
        nan: str = "propagate",
    ) -> T: ...
    def hessian(
        self,
        dims: Hashable | Iterable[Hashable] | None = None,
        accuracy: int = 2,
        boundary: Boundary = "one-sided",
        period: Period = None,
        edge_order: int = 1,
        datetime_unit: str | None = None,
        workers: int | None = None,
        constant_values: Any = None,
        nan: str = "propagate",
    ) -> tuple[tuple[T, ...], ...]: ...
    def divergence(
        self,
        components: Mapping[Hashable, Hashable],
        accuracy: int = 2,
        boundary: Boundary = "one-sided",
        period: Period = None,
        edge_order: int = 1,
        datetime_unit: str | None = None,
        workers: int | None = None,
        constant_values: Any = None,
        nan: str = "propagate",
    ) -> xr.DataArray: ...
    def curl(
        self,
        components: Mapping[Hashable, Hashable],
        accuracy: int = 2,
        boundary: Boundary = "one-sided",
        period: Period = None,
        edge_order: int = 1,
        datetime_unit: str | None = None,
        workers: int | None = None,
        constant_values: Any = None,
        nan: str = "propagate",
    ) -> xr.DataArray | tuple[xr.DataArray, ...]: ...
