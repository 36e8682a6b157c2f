"""Arrow arrays built straight from NumPy buffers.

``pyarrow.array`` checks every input against pandas types and so imports pandas, a quarter of a
second of a short run's wall time, the first time it is called; the outputs need none of that.
These helpers make the same arrays (same types, same values, so the same Parquet bytes) from the
buffers directly.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

_EPOCH = dt.date(1970, 1, 1)


def numeric(values: np.ndarray, dtype: np.dtype | type | None = None) -> pa.Array:
    """A primitive Arrow array (int, float) with the NumPy array's type, or ``dtype``'s."""
    x = np.ascontiguousarray(values, dtype=dtype)
    return pa.Array.from_buffers(pa.from_numpy_dtype(x.dtype), len(x), [None, pa.py_buffer(x)])


def booleans(values: np.ndarray) -> pa.Array:
    """An Arrow boolean array (bit-packed, least significant bit first)."""
    x = np.asarray(values, dtype=bool)
    bits = np.packbits(x, bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(x), [None, pa.py_buffer(bits)])


def strings(values: list[str]) -> pa.Array:
    """An Arrow UTF-8 string array."""
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    offsets[1:] = np.cumsum([len(b) for b in encoded])
    data = b"".join(encoded)
    return pa.Array.from_buffers(
        pa.string(), len(encoded), [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


def dictionary(codes: np.ndarray, names: list[str] | pa.Array) -> pa.DictionaryArray:
    """Dictionary-encoded strings: ``codes`` index ``names``."""
    labels = names if isinstance(names, pa.Array) else strings(names)
    return pa.DictionaryArray.from_arrays(numeric(codes), labels)


def dates(start: dt.date, days: np.ndarray) -> pa.Array:
    """Arrow ``date32`` values: ``start`` plus ``days``."""
    offset = (start - _EPOCH).days
    x = (np.asarray(days, dtype=np.int64) + offset).astype(np.int32)
    return pa.Array.from_buffers(pa.date32(), len(x), [None, pa.py_buffer(x)])
