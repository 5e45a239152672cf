"""Numeric arrays as compact bytes, and frames as a JSON skeleton plus those bytes.

A frame (the data of one state of an explorer) travels as ``{"s": skeleton, "b": blobs}``:
the skeleton is the views' data as JSON in which every numeric array is replaced by
``{"$": i, "e": encoding, "n": length}``, and ``blobs[i]`` holds its bytes. The live
widget sends one frame at a time (blobs as base64 text); the static page stores every
frame of the grid, each distinct blob and skeleton once (:class:`FramePacker`).
``explorer.js`` (``decodeArray``) reads the same encodings:

==========  ==============================================================================
``f4``      float32, little-endian (curves that tests compare with actlib to 2e-7)
``q8``      float32 ``lo``, ``hi``, then one uint8 code per value: ``lo + code (hi - lo)
            / 254``; code 255 is NaN (histograms, probability fields)
``q16``     the same with uint16 codes (0 to 65534; 65535 is NaN)
``l16``     ``q16`` of ``log10(value)`` (positive data on a log axis)
``b1``      one bit per value, 0 or 1 (maps of saturated or dead units)
``u8``      one byte per value, whole numbers 0 to 255, exact (codes such as a class
            and its confidence in one byte)
==========  ==============================================================================

Every blob is padded to a multiple of four bytes, so float32 and uint16 views of the
page's one byte buffer stay aligned.
"""

from __future__ import annotations

import base64
import hashlib
import json

import numpy as np

__all__ = ["ENCODINGS", "encode", "decode", "quantum", "FramePacker", "wire_frame"]

ENCODINGS = ("f4", "q8", "q16", "l16", "b1", "u8")
_TOP = {"q8": 254, "q16": 65534, "l16": 65534}


def _pad4(b: bytes) -> bytes:
    return b + b"\0" * (-len(b) % 4)


def _range(v: np.ndarray) -> tuple[float, float]:
    finite = v[np.isfinite(v)]
    if finite.size == 0:
        return 0.0, 1.0
    lo, hi = float(np.float32(finite.min())), float(np.float32(finite.max()))
    return (lo, hi) if hi > lo else (lo, lo + 1.0)


def encode(values, enc: str) -> bytes:
    """The bytes of ``values`` (any shape, read in C order) in encoding ``enc``."""
    v = np.asarray(values, dtype=np.float64).ravel()
    if enc == "f4":
        return _pad4(v.astype("<f4").tobytes())
    if enc == "b1":
        if np.isnan(v).any():
            raise ValueError("a b1 (bit) array cannot hold NaN")
        return _pad4(np.packbits(v > 0.5, bitorder="little").tobytes())
    if enc == "u8":
        if not (np.all(np.isfinite(v)) and np.all(v == np.rint(v)) and v.min(initial=0) >= 0
                and v.max(initial=0) <= 255):
            raise ValueError("a u8 array holds whole numbers from 0 to 255")
        return _pad4(v.astype("<u1").tobytes())
    if enc not in _TOP:
        raise ValueError(f"unknown encoding {enc!r}; choose one of {ENCODINGS}")
    if enc == "l16":
        with np.errstate(divide="ignore", invalid="ignore"):
            v = np.where(v > 0, np.log10(np.where(v > 0, v, 1.0)), np.nan)
    top = _TOP[enc]
    lo, hi = _range(v)
    with np.errstate(invalid="ignore"):
        codes = np.rint((v - lo) / (hi - lo) * top)
    codes = np.where(np.isfinite(codes), np.clip(codes, 0, top), top + 1)
    dtype = "<u1" if enc == "q8" else "<u2"
    return _pad4(np.array([lo, hi], "<f4").tobytes() + codes.astype(dtype).tobytes())


def decode(data: bytes, enc: str, n: int) -> np.ndarray:
    """What the page decodes from ``data`` (the inverse of :func:`encode`, for tests)."""
    if enc == "f4":
        return np.frombuffer(data, "<f4", n).astype(np.float64)
    if enc == "b1":
        return np.unpackbits(np.frombuffer(data, np.uint8), bitorder="little")[:n].astype(np.float64)
    if enc == "u8":
        return np.frombuffer(data, np.uint8, n).astype(np.float64)
    lo, hi = np.frombuffer(data, "<f4", 2).astype(np.float64)
    codes = np.frombuffer(data, "<u1" if enc == "q8" else "<u2", n, offset=8).astype(np.float64)
    top = _TOP[enc]
    out = np.where(codes > top, np.nan, lo + codes * ((hi - lo) / top))
    out = 10.0 ** out if enc == "l16" else out
    return out.astype(np.float32).astype(np.float64)  # the page holds float32 values


def quantum(values, enc: str) -> float:
    """The largest difference between ``values`` and what the page shows (half a code step),
    in the unit of the values (for ``l16``: a relative difference)."""
    v = np.asarray(values, dtype=np.float64)
    if enc == "f4":
        finite = np.abs(v[np.isfinite(v)])
        return float(finite.max() * 2.0**-24) if finite.size else 0.0
    if enc in ("b1", "u8"):
        return 0.0
    if enc == "l16":
        with np.errstate(divide="ignore", invalid="ignore"):
            lo, hi = _range(np.log10(v[v > 0]) if (v > 0).any() else np.zeros(1))
        return float(10 ** ((hi - lo) / _TOP[enc] / 2) - 1)
    lo, hi = _range(v)
    return (hi - lo) / _TOP[enc] / 2


class _Frame:
    """Collects the blobs of one frame while its items write their skeleton."""

    def __init__(self):
        self.blobs: list[bytes] = []

    def array(self, values, enc: str = "f4", shape: tuple[int, ...] | None = None) -> dict:
        a = np.asarray(values, dtype=np.float64)
        node = {"$": len(self.blobs), "e": enc, "n": int(a.size)}
        if shape is not None:
            node["shape"] = [int(s) for s in shape]
        self.blobs.append(encode(a, enc))
        return node


def wire_frame(skeleton_of) -> dict:
    """One frame for the live widget: ``skeleton_of(packer)`` writes the skeleton."""
    f = _Frame()
    skeleton = skeleton_of(f)
    return {"s": skeleton, "b": [base64.b64encode(b).decode("ascii") for b in f.blobs]}


class FramePacker:
    """Every frame of an explorer's grid, each distinct skeleton and blob stored once."""

    def __init__(self):
        self._blob_index: dict[bytes, int] = {}
        self._blobs: list[bytes] = []
        self._skel_index: dict[str, int] = {}
        self.skeletons: list = []
        self.rows: list[list[int]] = []

    def add(self, skeleton_of) -> None:
        f = _Frame()
        skeleton = skeleton_of(f)
        key = json.dumps(skeleton, sort_keys=True, separators=(",", ":"))
        if key not in self._skel_index:
            self._skel_index[key] = len(self.skeletons)
            self.skeletons.append(skeleton)
        row = [self._skel_index[key]]
        for b in f.blobs:
            h = hashlib.blake2b(b, digest_size=16).digest()
            if h not in self._blob_index:
                self._blob_index[h] = len(self._blobs)
                self._blobs.append(b)
            row.append(self._blob_index[h])
        self.rows.append(row)

    def payload(self) -> dict:
        """The page's data: skeletons, rows of blob indices, the blobs and their offsets."""
        width = 1 + max((len(r) - 1 for r in self.rows), default=0)
        small = len(self._blobs) < 0xFFFF and len(self.skeletons) < 0xFFFF
        pad = 0xFFFF if small else 0xFFFFFFFF
        table = np.full((len(self.rows), width), pad, dtype="<u2" if small else "<u4")
        for i, r in enumerate(self.rows):
            table[i, :len(r)] = r
        offsets = np.zeros(len(self._blobs) + 1, dtype="<u4")
        offsets[1:] = np.cumsum([len(b) for b in self._blobs])
        b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
        return {"skel": self.skeletons, "rw": width, "it": "u16" if small else "u32",
                "rows": b64(_pad4(table.tobytes())), "blob": b64(b"".join(self._blobs)),
                "off": b64(offsets.tobytes())}
