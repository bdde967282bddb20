from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Literal, SupportsIndex, TypedDict, overload

from numpy.typing import ArrayLike, NDArray

__all__ = ["gradient", "derivative", "laplacian", "mixed_derivative", "hessian", "divergence",
           "curl", "openmp_info", "clear_weight_cache",
           "patch_numpy", "restore_numpy", "patched_numpy", "is_patched", "show_config"]
__version__: str

class _OpenMPInfo(TypedDict):
    openmp: bool
    threads: int
    kernels: str

# One axis named by an integer gives one array.  Otherwise the result is a
# tuple, except for one-dimensional input (axis=None) or a one-element axis
# tuple, which give one array too: numpy decides by the number of axes at run
# time, so those forms can only be typed as the union.
@overload
def gradient(
    f: ArrayLike,
    *varargs: ArrayLike,
    axis: SupportsIndex,
    edge_order: int = ...,
    out: NDArray[Any] | None = ...,
    workers: int | None = ...,
    boundary: str | Sequence[str] = ...,
    period: float | Sequence[float | None] | None = ...,
    accuracy: int = ...,
    constant_values: Any | Sequence[Any] | None = ...,
    nan: str = ...,
) -> NDArray[Any]: ...
@overload
def gradient(
    f: ArrayLike,
    *varargs: ArrayLike,
    axis: Sequence[SupportsIndex] | None = ...,
    edge_order: int = ...,
    out: NDArray[Any] | Sequence[NDArray[Any]] | None = ...,
    workers: int | None = ...,
    boundary: str | Sequence[str] = ...,
    period: float | Sequence[float | None] | None = ...,
    accuracy: int = ...,
    constant_values: Any | Sequence[Any] | None = ...,
    nan: str = ...,
) -> NDArray[Any] | tuple[NDArray[Any], ...]: ...
@overload
def derivative(
    f: ArrayLike,
    *varargs: ArrayLike,
    n: SupportsIndex = ...,
    axis: SupportsIndex,
    accuracy: int = ...,
    boundary: str | Sequence[str] = ...,
    period: float | Sequence[float | None] | None = ...,
    out: NDArray[Any] | None = ...,
    workers: int | None = ...,
    edge_order: int | None = ...,
    constant_values: Any | Sequence[Any] | None = ...,
    nan: str = ...,
) -> NDArray[Any]: ...
@overload
def derivative(
    f: ArrayLike,
    *varargs: ArrayLike,
    n: SupportsIndex = ...,
    axis: Sequence[SupportsIndex] | None = ...,
    accuracy: int = ...,
    boundary: str | Sequence[str] = ...,
    period: float | Sequence[float | None] | None = ...,
    out: NDArray[Any] | Sequence[NDArray[Any]] | None = ...,
    workers: int | None = ...,
    edge_order: int | None = ...,
    constant_values: Any | Sequence[Any] | None = ...,
    nan: str = ...,
) -> NDArray[Any] | tuple[NDArray[Any], ...]: ...
def laplacian(
    f: ArrayLike,
    *varargs: ArrayLike,
    axis: SupportsIndex | Sequence[SupportsIndex] | None = ...,
    accuracy: int = ...,
    boundary: str | Sequence[str] = ...,
    period: float | Sequence[float | None] | None = ...,
    out: NDArray[Any] | None = ...,
    workers: int | None = ...,
    constant_values: Any | Sequence[Any] | None = ...,
    nan: str = ...,
) -> NDArray[Any]: ...
def mixed_derivative(
    f: ArrayLike,
    *varargs: ArrayLike,
    n: Sequence[SupportsIndex],
    axis: Sequence[SupportsIndex],
    accuracy: int = ...,
    boundary: str | Sequence[str] = ...,
    period: float | Sequence[float | None] | None = ...,
    out: NDArray[Any] | None = ...,
    workers: int | None = ...,
    edge_order: int | None = ...,
    constant_values: Any | Sequence[Any] | None = ...,
    nan: str = ...,
) -> NDArray[Any]: ...
def hessian(
    f: ArrayLike,
    *varargs: ArrayLike,
    axis: SupportsIndex | Sequence[SupportsIndex] | None = ...,
    accuracy: int = ...,
    boundary: str | Sequence[str] = ...,
    period: float | Sequence[float | None] | None = ...,
    out: NDArray[Any] | None = ...,
    workers: int | None = ...,
    edge_order: int | None = ...,
    constant_values: Any | Sequence[Any] | None = ...,
    nan: str = ...,
) -> NDArray[Any]: ...
def divergence(
    F: Sequence[ArrayLike] | NDArray[Any],
    *varargs: ArrayLike,
    axis: Sequence[SupportsIndex] | None = ...,
    accuracy: int = ...,
    boundary: str | Sequence[str] = ...,
    period: float | Sequence[float | None] | None = ...,
    out: NDArray[Any] | None = ...,
    workers: int | None = ...,
    edge_order: int | None = ...,
    constant_values: Any | Sequence[Any] | None = ...,
    nan: str = ...,
) -> NDArray[Any]: ...
def curl(
    F: Sequence[ArrayLike] | NDArray[Any],
    *varargs: ArrayLike,
    axis: Sequence[SupportsIndex] | None = ...,
    accuracy: int = ...,
    boundary: str | Sequence[str] = ...,
    period: float | Sequence[float | None] | None = ...,
    out: NDArray[Any] | Sequence[NDArray[Any]] | None = ...,
    workers: int | None = ...,
    edge_order: int | None = ...,
    constant_values: Any | Sequence[Any] | None = ...,
    nan: str = ...,
) -> NDArray[Any]: ...
def openmp_info() -> _OpenMPInfo: ...
def clear_weight_cache() -> None: ...
def patch_numpy() -> None: ...
def restore_numpy() -> None: ...
def patched_numpy() -> AbstractContextManager[None]: ...
def is_patched() -> bool: ...
@overload
def show_config(mode: Literal["stdout"] = ...) -> None: ...
@overload
def show_config(mode: Literal["dicts"]) -> dict[str, dict[str, Any]]: ...
