from collections.abc import Sequence
from typing import Any, TypedDict

import numpy as np
from numpy.typing import ArrayLike, NDArray

__version__: str

class _OpenMPInfo(TypedDict):
    openmp: bool
    threads: int
    kernels: str

def gradient(
    f: ArrayLike,
    *varargs: ArrayLike,
    axis: int | Sequence[int] | None = ...,
    edge_order: int = ...,
    out: NDArray[Any] | Sequence[NDArray[Any]] | None = ...,
    workers: int | None = ...,
    boundary: str | Sequence[str] = ...,
    period: float | Sequence[float | None] | None = ...,
    accuracy: int = ...,
) -> NDArray[Any] | tuple[NDArray[Any], ...]: ...
def openmp_info() -> _OpenMPInfo: ...
