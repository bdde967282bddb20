"""The ``.gx`` accessor: gradient_ext's derivatives on xarray objects, by name.

>>> import gradient_ext.xarray          # registers ``DataArray.gx`` and ``Dataset.gx``

``import gradient_ext`` registers it too when xarray has already been imported
(gradient_ext itself never imports xarray).  The methods read the coordinates
from the object, as ``differentiate`` does, and add what it lacks:

* ``obj.gx.derivative(dim, n=1, accuracy=2, boundary="one-sided", period=None,
  edge_order=1, datetime_unit=None, workers=None, constant_values=None,
  nan="propagate")``: ``n`` from 1 to 4; with
  the defaults it is ``obj.differentiate(dim, edge_order, datetime_unit)`` bit
  for bit, datetime coordinates included.
* ``obj.gx.gradient(dims=None, ...)``: a tuple, one object per dimension, the
  first derivatives along each, computed in one call per variable.
* ``obj.gx.laplacian(dims=None, accuracy=2, ...)``: the sum of the second
  derivatives.
* ``obj.gx.mixed_derivative({"x": 1, "y": 1}, ...)``: a mixed partial, the
  order along each named dimension; ``obj.gx.hessian(dims=None, ...)``: every
  second derivative, as a tuple of tuples of objects.
* on a Dataset, ``ds.gx.divergence({"x": "u", "y": "v"})`` and
  ``ds.gx.curl({"x": "u", "y": "v"})``: dimension -> component variable, the
  mapping's order the frame's (``{"x": "u", "y": "v"}``: dv/dx - du/dy).

``boundary``, ``period`` and ``constant_values`` take one value for every
dimension or a mapping by dimension name (``{"depth": "edge", "lon":
"periodic"}``, ``{"lon": 360.0}``; a dimension the mapping leaves out is
one-sided).  Nothing is guessed from coordinate names or
attributes.  Dask-backed objects stay lazy.

The name ``gx`` (gradient_ext's own prefix) is used by none of the accessors of
the xarray ecosystem we know of (MetPy's ``metpy``, cf_xarray's ``cf``,
rioxarray's ``rio``, pint-xarray's ``pint``, hvplot's ``hvplot``, xarray-spatial's
``xrs``, odc-geo's ``odc``, salem's ``salem``; xgcm has none); xarray warns if
an accessor of that name was registered before.  A data variable named ``gx``
stays reachable as ``ds["gx"]``.
"""

from collections.abc import Hashable, Iterable, Mapping
from typing import Any, Generic, TypeVar, Union

import numpy as np
import xarray as xr

from . import _derivatives, _operators
from ._api import gradient as _gradient
from ._runtime import kernels as _kernels

__all__ = ["GradientAccessor"]

ACCESSOR = "gx"
Boundary = Union[str, Mapping[Hashable, str]]
Period = Union[float, np.timedelta64, Mapping[Hashable, Union[float, np.timedelta64, None]],
               None]
T = TypeVar("T", xr.DataArray, xr.Dataset)


class _Axis:
    """One dimension of a call: its name, the numbers its coordinate gives
    gradient_ext, its boundary and period."""

    def __init__(self, dim: Hashable, numbers: Any, boundary: str, period: Any) -> None:
        self.dim, self.numbers, self.boundary, self.period = dim, numbers, boundary, period
        self.scalar_period: Any = None      # period= given as one number for every axis
        self.constant: Any = None           # constant_values= of this dimension (a mapping's)
        self.scalar_constant: Any = None    # constant_values= given as one value


def time_numbers(values: Any, unit: str | None) -> Any:
    """datetime64 or timedelta64 values as float64 numbers of `unit` (None: their
    own unit) since their smallest value, NaT as NaN: the numbers xarray's
    ``differentiate`` computes with (its smallest value passes through float64,
    so it is rounded as there).  Works on numpy and dask arrays."""
    nat = np.isnat(values)
    smallest = np.nanmin(np.where(nat, np.nan, values.astype(np.float64)))
    delta = values - smallest.astype(values.dtype)
    numbers = delta / np.timedelta64(1, unit) if unit else delta
    return np.where(nat, np.nan, numbers.astype(np.float64))


def _is_time(dtype: np.dtype[Any]) -> bool:
    return dtype.kind in "mM"


def _coordinate(obj: xr.DataArray | xr.Dataset, name: Hashable,
                datetime_unit: str | None) -> tuple[Hashable, Any, str | None]:
    """(dimension, numbers, time unit or None) of the coordinate or dimension `name`,
    read as ``differentiate`` reads it (a dimension without coordinate: 0, 1, 2...)."""
    if name in obj.coords:
        var = obj.coords[name].variable
        if var.ndim != 1:
            raise ValueError(f"dims: coordinate {name!r} must be one-dimensional, it has "
                             f"dimensions {var.dims}")
        dim, values = var.dims[0], np.asarray(var.values)
    elif name in obj.dims:
        dim, values = name, np.arange(obj.sizes[name])
    else:
        raise ValueError(f"dims: {name!r} is neither a dimension nor a coordinate "
                         f"(dimensions: {tuple(obj.sizes)})")
    if values.dtype == object:
        raise TypeError(f"coordinate {name!r} holds objects (cftime dates?); convert it "
                        f"to numbers or datetime64 first")
    if not _is_time(values.dtype):
        return dim, values, None
    unit = datetime_unit or np.datetime_data(values.dtype)[0]
    return dim, time_numbers(values, unit), unit


def _per_dim(value: Any, names: list[Hashable], obj: xr.DataArray | xr.Dataset,
             what: str, default: Any) -> list[Any]:
    """One value per name of the call: `value` for each, or looked up by name in a
    mapping whose keys must be dimensions or coordinates of `obj`."""
    if not isinstance(value, Mapping):
        return [value] * len(names)
    for key in value:
        if key not in obj.dims and key not in obj.coords:
            raise ValueError(f"{what}: {key!r} is neither a dimension nor a coordinate "
                             f"(dimensions: {tuple(obj.sizes)})")
    return [value.get(name, default) for name in names]


def _period(value: Any, name: Hashable, unit: str | None) -> Any:
    """A period in the numbers gradient_ext gets: a timedelta64 in the coordinate's
    unit; anything else as given (the planner checks it)."""
    if isinstance(value, np.timedelta64):
        if unit is None:
            raise ValueError(f"period: a timedelta64 period needs a datetime or timedelta "
                             f"coordinate, {name!r} has none")
        return value / np.timedelta64(1, unit)
    return value


def _axes(obj: xr.DataArray | xr.Dataset, names: Iterable[Hashable], boundary: Boundary,
          period: Period, datetime_unit: str | None, constant_values: Any = None
          ) -> list[_Axis]:
    """The dimensions of a call, with their coordinate numbers and schemes.

    boundary= and period= are checked by the planner, whose errors name the
    call's axes (`_compute` maps them to dimension names).  A period given as
    one number goes to the planner as it is (it applies to the periodic axes);
    a mapping, or one timedelta64 (converted in each time axis's own unit, so
    only where a periodic axis has one), becomes one value per axis.
    constant_values= likewise: one value as it is, a mapping one value per axis.
    """
    names = list(names)
    bounds = _per_dim(boundary, names, obj, "boundary", _kernels.ONE_SIDED)
    periods = _per_dim(period, names, obj, "period", None)
    constants = _per_dim(constant_values, names, obj, "constant_values", None)
    one_constant = constant_values is not None and not isinstance(constant_values, Mapping)
    one_number = period is not None and not isinstance(period, (Mapping, np.timedelta64))
    axes, seen = [], set()
    for name, b, p, c in zip(names, bounds, periods, constants):
        dim, numbers, unit = _coordinate(obj, name, datetime_unit)
        if dim in seen:
            raise ValueError(f"dims: dimension {dim!r} is named twice")
        seen.add(dim)
        if isinstance(period, np.timedelta64) and b != _kernels.PERIODIC:
            p = None
        axis = _Axis(dim, numbers, b, None if one_number else _period(p, name, unit))
        axis.scalar_period = period if one_number else None
        axis.constant = None if one_constant else c
        axis.scalar_constant = constant_values if one_constant else None
        axes.append(axis)
    return axes


def _period_argument(axes: list[_Axis]) -> Any:
    """period= of a call on `axes`: the one number given, a list, or None."""
    if axes and axes[0].scalar_period is not None:
        return axes[0].scalar_period
    periods = [a.period for a in axes]
    return None if all(p is None for p in periods) else periods


def _constant_argument(axes: list[_Axis]) -> Any:
    """constant_values= of a call on `axes`: the one value given, a list, or None."""
    if axes and axes[0].scalar_constant is not None:
        return axes[0].scalar_constant
    constants = [a.constant for a in axes]
    return None if all(c is None for c in constants) else constants


def _names(obj: xr.DataArray | xr.Dataset, dims: Hashable | Iterable[Hashable] | None
           ) -> list[Hashable]:
    if dims is None:
        return list(obj.sizes)
    if isinstance(dims, str) or not isinstance(dims, Iterable):
        return [dims]
    return list(dims)


def _data_unit(obj: xr.DataArray | xr.Dataset, names: list[Hashable],
               datetime_unit: str | None) -> str | None:
    """The unit datetime *data* is converted in: `datetime_unit`, else that of the
    first datetime coordinate of the call (as ``differentiate``), else its own."""
    if datetime_unit:
        return datetime_unit
    for name in names:
        if name in obj.coords and _is_time(obj.coords[name].dtype):
            return str(np.datetime_data(obj.coords[name].dtype)[0])
    return None


def _compute(var: xr.Variable, axes: list[_Axis], unit: str | None, call: Any) -> Any:
    """`call(data, spacings, axis, boundary, period, constant_values)` on the
    variable's data along
    the `axes` it holds (datetime data as numbers, as ``differentiate`` does)."""
    data = var.data
    if _is_time(var.dtype):
        data = time_numbers(data, unit)
    mine = [a for a in axes if a.dim in var.dims]
    try:
        return call(data, [a.numbers for a in mine],
                    tuple(var.get_axis_num(a.dim) for a in mine), [a.boundary for a in mine],
                    _period_argument(mine), _constant_argument(mine))
    except (ValueError, TypeError) as e:
        if type(e) not in (ValueError, TypeError):
            raise
        # gradient_ext's messages count the call's axes: name their dimensions
        named = ", ".join(f"{q} = {a.dim!r}" for q, a in enumerate(mine))
        raise type(e)(f"{e} (axes of the call: {named or 'none: no dims given'})") from e


def _rebuild(obj: T, results: Mapping[Hashable, Any]) -> T:
    """`obj` with new data for the variables in `results` (attrs dropped, as
    ``differentiate`` drops them), everything else kept."""
    if isinstance(obj, xr.DataArray):
        (data,) = results.values()
        out = obj.copy(deep=False, data=data)
        out.attrs, out.encoding = {}, {}
        return out
    out = obj.copy(deep=False)
    for name, data in results.items():
        out[name] = xr.Variable(obj[name].dims, data)
    return out


def _variables(obj: xr.DataArray | xr.Dataset) -> dict[Hashable, xr.Variable]:
    if isinstance(obj, xr.DataArray):
        return {obj.name: obj.variable}
    return {name: obj[name].variable for name in obj.data_vars}


class GradientAccessor(Generic[T]):
    """gradient_ext's derivatives of a DataArray or of every data variable of a
    Dataset that holds the dimensions (the others are returned unchanged, as
    ``differentiate`` returns them).  Results keep the coordinates, dimension
    order and names and drop the variables' attrs, as ``differentiate`` does."""

    def __init__(self, obj: T) -> None:
        self._obj = obj

    def _apply(self, names: list[Hashable], axes: list[_Axis], datetime_unit: str | None,
               call: Any) -> dict[Hashable, Any]:
        """{variable name: call's result} for each variable holding one of the axes."""
        unit = _data_unit(self._obj, names, datetime_unit)
        dims = {a.dim for a in axes}
        return {name: _compute(var, axes, unit, call)
                for name, var in _variables(self._obj).items() if dims & set(var.dims)}

    def _apply_all(self, names: list[Hashable], axes: list[_Axis], datetime_unit: str | None,
                   call: Any) -> dict[Hashable, Any]:
        """{variable name: call's result} for each variable holding every axis."""
        unit = _data_unit(self._obj, names, datetime_unit)
        dims = {a.dim for a in axes}
        return {name: _compute(var, axes, unit, call)
                for name, var in _variables(self._obj).items() if dims <= set(var.dims)}

    def derivative(self, dim: Hashable, n: int = 1, accuracy: int = 2,
                   boundary: Boundary = "one-sided", period: Period = None,
                   edge_order: int = 1, datetime_unit: str | None = None,
                   workers: int | None = None, constant_values: Any = None,
                   nan: str = "propagate") -> T:
        """The n-th derivative along the dimension (or 1-D coordinate) `dim`.

        With ``n=1, accuracy=2, boundary="one-sided"`` this is
        ``differentiate(dim, edge_order, datetime_unit)`` bit for bit.

        Parameters
        ----------
        dim : hashable
            A dimension or a one-dimensional coordinate; its values are the
            spacing (a dimension without coordinate: 0, 1, 2, ...).
        n : int, optional
            Order of the derivative, 1 (default) to 4.
        accuracy : {2, 4, 6, 8}, optional
            Order of the scheme, as for `gradient_ext.derivative`.
        boundary : {"one-sided", "periodic", "symmetric", "reflect", "edge", \
"constant"} or mapping, optional
            One value, or a mapping from dimension names to values
            (``{"depth": "edge", "lon": "periodic"}``).
        period : float, timedelta64, mapping or None, optional
            The period of a periodic dimension given uneven coordinates, in
            the coordinate's units (datetime coordinates: `datetime_unit`, or a
            timedelta64); required there, as for `gradient_ext.gradient`.
        edge_order : {1, 2}, optional
            numpy's ends for ``n=1`` and ``accuracy=2``; leave it at 1 otherwise.
        datetime_unit : str, optional
            Unit of datetime and timedelta coordinates (default: their own).
        workers : int, optional
            Threads per call, as for `gradient_ext.gradient`.
        constant_values : scalar or mapping, optional
            The value beyond the ends of ``"constant"`` dimensions (default 0).
        nan : {"propagate", "split"}, optional
            "split": each run of finite values along the dimension is
            differentiated as its own array (land masks, gaps).

        Returns
        -------
        DataArray or Dataset
            The type of the object, with the derivative in place of the data.

        Examples
        --------
        >>> import numpy as np, xarray as xr, gradient_ext.xarray
        >>> x = np.arange(6.0)
        >>> da = xr.DataArray(x**3, coords={"x": x}, dims="x")
        >>> da.gx.derivative("x", n=2).values          # 6x
        array([ 0.,  6., 12., 18., 24., 30.])
        """
        names = _names(self._obj, [dim])
        axes = _axes(self._obj, names, boundary, period, datetime_unit, constant_values)
        # edge_order belongs to gradient's ends (n=1); 1 is every order's default
        edges = edge_order if edge_order != 1 or n == 1 else None

        def call(data: Any, spacings: list[Any], axis: tuple[int, ...], b: list[str],
                 p: Any, c: Any) -> Any:
            return _derivatives.derivative(data, *spacings, n=n, axis=axis[0],
                                           accuracy=accuracy, boundary=b[0],
                                           period=p[0] if isinstance(p, list) else p,
                                           edge_order=edges, workers=workers,
                                           constant_values=c[0] if isinstance(c, list) else c,
                                           nan=nan)

        return _rebuild(self._obj, self._apply(names, axes, datetime_unit, call))

    def gradient(self, dims: Hashable | Iterable[Hashable] | None = None, accuracy: int = 2,
                 boundary: Boundary = "one-sided", period: Period = None,
                 edge_order: int = 1, datetime_unit: str | None = None,
                 workers: int | None = None, constant_values: Any = None,
                 nan: str = "propagate") -> tuple[T, ...]:
        """The first derivatives along `dims` (default: every dimension), one
        object per dimension in the order of `dims`, always a tuple.

        Each is ``derivative(dim, ...)`` bit for bit, but every variable is
        computed in one call over all its dimensions.  The arguments are those
        of `derivative`.

        Examples
        --------
        >>> import numpy as np, xarray as xr, gradient_ext.xarray
        >>> y, x = np.arange(3.0), np.arange(4.0)
        >>> da = xr.DataArray(np.add.outer(2 * y, x**2), coords={"y": y, "x": x},
        ...                   dims=("y", "x"))
        >>> dy, dx = da.gx.gradient(["y", "x"], edge_order=2)
        >>> dy.values[0], dx.values[0]
        (array([2., 2., 2., 2.]), array([0., 2., 4., 6.]))
        """
        names = _names(self._obj, dims)
        axes = _axes(self._obj, names, boundary, period, datetime_unit, constant_values)

        def call(data: Any, spacings: list[Any], axis: tuple[int, ...], b: list[str],
                 p: Any, c: Any) -> Any:
            result = _gradient(data, *spacings, axis=axis, edge_order=edge_order,
                               workers=workers, boundary=b, period=p, accuracy=accuracy,
                               constant_values=c, nan=nan)
            return result if len(axis) > 1 else (result,)

        results = self._apply(names, axes, datetime_unit, call)
        variables = _variables(self._obj)
        per_dim: list[dict[Hashable, Any]] = [{} for _ in axes]
        for name, parts in results.items():
            held = [k for k, a in enumerate(axes) if a.dim in variables[name].dims]
            for k, part in zip(held, parts):
                per_dim[k][name] = part
        return tuple(_rebuild(self._obj, r) for r in per_dim)

    def laplacian(self, dims: Hashable | Iterable[Hashable] | None = None, accuracy: int = 2,
                  boundary: Boundary = "one-sided", period: Period = None,
                  datetime_unit: str | None = None, workers: int | None = None,
                  constant_values: Any = None, nan: str = "propagate") -> T:
        """The sum of the second derivatives along `dims` (default: every
        dimension), as `gradient_ext.laplacian`; a variable holding only some of
        them is summed over those.  The arguments are those of `derivative`.

        Examples
        --------
        >>> import numpy as np, xarray as xr, gradient_ext.xarray
        >>> y, x = np.arange(4.0), np.arange(5.0)
        >>> da = xr.DataArray(np.add.outer(3 * y**2, x**2), coords={"y": y, "x": x},
        ...                   dims=("y", "x"))
        >>> da.gx.laplacian().values[0]                   # 6 + 2
        array([8., 8., 8., 8., 8.])
        """
        names = _names(self._obj, dims)
        axes = _axes(self._obj, names, boundary, period, datetime_unit, constant_values)

        def call(data: Any, spacings: list[Any], axis: tuple[int, ...], b: list[str],
                 p: Any, c: Any) -> Any:
            return _derivatives.laplacian(data, *spacings, axis=axis, accuracy=accuracy,
                                          boundary=b, period=p, workers=workers,
                                          constant_values=c, nan=nan)

        if not names:       # the planner's verdict on a sum over no axes: it raises
            for var in _variables(self._obj).values():
                _compute(var, [], datetime_unit, call)

        return _rebuild(self._obj, self._apply(names, axes, datetime_unit, call))


    def mixed_derivative(self, orders: Mapping[Hashable, int], accuracy: int = 2,
                         boundary: Boundary = "one-sided", period: Period = None,
                         edge_order: int = 1, datetime_unit: str | None = None,
                         workers: int | None = None, constant_values: Any = None,
                         nan: str = "propagate") -> T:
        """A mixed partial derivative: ``orders`` maps each dimension to its order.

        ``da.gx.mixed_derivative({"x": 1, "y": 1})`` is d2/dxdy, bit for bit
        `gradient_ext.mixed_derivative` on the data with the coordinates'
        values as spacings. Variables that lack one of the dimensions are
        returned unchanged. The other arguments are those of `derivative`.

        Examples
        --------
        >>> import numpy as np, xarray as xr, gradient_ext.xarray
        >>> y, x = np.arange(4.0), np.arange(5.0)
        >>> da = xr.DataArray(np.outer(y, x**2), coords={"y": y, "x": x}, dims=("y", "x"))
        >>> da.gx.mixed_derivative({"x": 1, "y": 1}, edge_order=2).values[0]   # 2x
        array([0., 2., 4., 6., 8.])
        """
        names = list(orders)
        axes = _axes(self._obj, names, boundary, period, datetime_unit, constant_values)
        n = tuple(orders[name] for name in names)

        def call(data: Any, spacings: list[Any], axis: tuple[int, ...], b: list[str],
                 p: Any, c: Any) -> Any:
            return _operators.mixed_derivative(
                data, *spacings, n=n, axis=axis, accuracy=accuracy, boundary=b, period=p,
                edge_order=None if edge_order == 1 else edge_order, workers=workers,
                constant_values=c, nan=nan)

        return _rebuild(self._obj, self._apply_all(names, axes, datetime_unit, call))

    def hessian(self, dims: Hashable | Iterable[Hashable] | None = None, accuracy: int = 2,
                boundary: Boundary = "one-sided", period: Period = None,
                edge_order: int = 1, datetime_unit: str | None = None,
                workers: int | None = None, constant_values: Any = None,
                nan: str = "propagate") -> tuple[tuple[T, ...], ...]:
        """Every second derivative along `dims` (default: every dimension):
        ``H[i][j]`` is the object of d2/d(dims[i])d(dims[j]), as
        `gradient_ext.hessian` (``H[i][i]`` the second derivative, ``H[j][i]`` the
        same bits as ``H[i][j]``); variables lacking a dimension are unchanged.

        Examples
        --------
        >>> import numpy as np, xarray as xr, gradient_ext.xarray
        >>> y, x = np.arange(4.0), np.arange(5.0)
        >>> da = xr.DataArray(np.outer(y, x**2), coords={"y": y, "x": x}, dims=("y", "x"))
        >>> H = da.gx.hessian(["x", "y"], edge_order=2)
        >>> H[0][1].values[0], H[0][0].values[0]          # d2/dxdy = 2x, d2/dx2 = 0 at y=0
        (array([0., 2., 4., 6., 8.]), array([0., 0., 0., 0., 0.]))
        """
        names = _names(self._obj, dims)
        axes = _axes(self._obj, names, boundary, period, datetime_unit, constant_values)
        k = len(axes)

        def call(data: Any, spacings: list[Any], axis: tuple[int, ...], b: list[str],
                 p: Any, c: Any) -> Any:
            return _operators.hessian(data, *spacings, axis=axis, accuracy=accuracy,
                                      boundary=b, period=p, workers=workers,
                                      edge_order=None if edge_order == 1 else edge_order,
                                      constant_values=c, nan=nan)

        results = self._apply_all(names, axes, datetime_unit, call)
        return tuple(tuple(_rebuild(self._obj, {name: H[i, j] for name, H in results.items()})
                           for j in range(k)) for i in range(k))

    def _field(self, components: Mapping[Hashable, Hashable], what: str
               ) -> tuple[list[_Axis], list[Any], xr.Variable]:
        """The frame's axes and the components' data (in the first one's dimension
        order) of a Dataset's vector field."""
        if not isinstance(self._obj, xr.Dataset):
            raise TypeError(f"{what} is a Dataset method: its components are variables")
        first = self._obj[next(iter(components.values()))].variable
        data = [self._obj[v].variable.transpose(*first.dims).data
                for v in components.values()]
        return list(components), data, first

    def divergence(self, components: Mapping[Hashable, Hashable], accuracy: int = 2,
                   boundary: Boundary = "one-sided", period: Period = None,
                   edge_order: int = 1, datetime_unit: str | None = None,
                   workers: int | None = None, constant_values: Any = None,
                   nan: str = "propagate") -> xr.DataArray:
        """The divergence of the vector field whose component along each dimension
        is the mapped variable: ``{"x": "u", "y": "v"}`` gives du/dx + dv/dy, as
        `gradient_ext.divergence` (summed in increasing axis number).

        Examples
        --------
        >>> import numpy as np, xarray as xr, gradient_ext.xarray
        >>> y, x = np.arange(4.0), np.arange(5.0)
        >>> Y, X = np.meshgrid(y, x, indexing="ij")
        >>> ds = xr.Dataset({"u": (("y", "x"), X * Y), "v": (("y", "x"), 3 * Y)},
        ...                 coords={"y": y, "x": x})
        >>> ds.gx.divergence({"x": "u", "y": "v"}).values[:, 0]     # y + 3
        array([3., 4., 5., 6.])
        """
        return self._field_operator(components, "divergence", _operators.divergence,
                                    accuracy, boundary, period, edge_order, datetime_unit,
                                    workers, constant_values, nan)

    def curl(self, components: Mapping[Hashable, Hashable], accuracy: int = 2,
             boundary: Boundary = "one-sided", period: Period = None,
             edge_order: int = 1, datetime_unit: str | None = None,
             workers: int | None = None, constant_values: Any = None,
             nan: str = "propagate") -> Any:
        """The curl of the vector field whose component along each dimension is the
        mapped variable, the mapping's order the frame's (right-handed):
        ``{"x": "u", "y": "v"}`` gives the vorticity dv/dx - du/dy whatever the
        order of the arrays' dimensions; reversing the mapping flips the sign.
        Three entries give a tuple of the three components, as `gradient_ext.curl`.

        Examples
        --------
        >>> import numpy as np, xarray as xr, gradient_ext.xarray
        >>> y, x = np.arange(4.0), np.arange(5.0)
        >>> Y, X = np.meshgrid(y, x, indexing="ij")
        >>> ds = xr.Dataset({"u": (("y", "x"), -Y), "v": (("y", "x"), X)},
        ...                 coords={"y": y, "x": x})
        >>> ds.gx.curl({"x": "u", "y": "v"}).values[0]        # solid-body rotation
        array([2., 2., 2., 2., 2.])
        >>> ds.gx.curl({"y": "v", "x": "u"}).values[0]
        array([-2., -2., -2., -2., -2.])
        """
        result = self._field_operator(components, "curl", _operators.curl, accuracy,
                                      boundary, period, edge_order, datetime_unit, workers,
                                      constant_values, nan)
        return result

    def _field_operator(self, components: Mapping[Hashable, Hashable], what: str, fn: Any,
                        accuracy: int, boundary: Boundary, period: Period, edge_order: int,
                        datetime_unit: str | None, workers: int | None,
                        constant_values: Any = None, nan: str = "propagate") -> Any:
        names, data, first = self._field(components, what)
        axes = _axes(self._obj, names, boundary, period, datetime_unit, constant_values)

        def call(comps: Any, spacings: list[Any], axis: tuple[int, ...], b: list[str],
                 p: Any, c: Any) -> Any:
            return fn(comps, *spacings, axis=axis, accuracy=accuracy, boundary=b, period=p,
                      workers=workers, edge_order=None if edge_order == 1 else edge_order,
                      constant_values=c, nan=nan)

        try:
            result = call(data, [a.numbers for a in axes],
                          tuple(first.dims.index(a.dim) for a in axes),
                          [a.boundary for a in axes], _period_argument(axes),
                          _constant_argument(axes))
        except (ValueError, TypeError) as e:
            if type(e) not in (ValueError, TypeError):
                raise
            named = ", ".join(f"{q} = {a.dim!r}" for q, a in enumerate(axes))
            raise type(e)(f"{e} (axes of the call: {named})") from e
        coords = {c: v for c, v in self._obj.coords.items()
                  if set(v.dims) <= set(first.dims)}
        wrap = lambda d: xr.DataArray(d, dims=first.dims, coords=coords, name=what)  # noqa
        if isinstance(result, tuple) or getattr(result, "ndim", 0) == first.ndim + 1:
            return tuple(wrap(result[m]) for m in range(len(result)))
        return wrap(result)


xr.register_dataarray_accessor(ACCESSOR)(GradientAccessor)
xr.register_dataset_accessor(ACCESSOR)(GradientAccessor)
