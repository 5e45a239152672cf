r"""The data sets the chapters train on: generated or shipped with scikit-learn.

Nothing is downloaded. :func:`digits` is scikit-learn's bundled copy of the UCI
handwritten digits (1797 images of 8×8 pixels, ten classes), split into
training, validation and test sets; :func:`moons`, :func:`xor` and
:func:`spiral` are small two-dimensional problems for decision boundaries.

Every loader returns a :class:`Dataset` of torch tensors. Features are
standardised with the mean and standard deviation of the training split only,
so the validation and test sets stay unseen. Hyper-parameters are chosen on the
validation split; the test split is for the one final measurement.

Examples:
    >>> from actlib.teaching import data
    >>> d = data.digits()
    >>> d.sizes
    {'train': 1077, 'val': 270, 'test': 450}
    >>> tuple(d.x_train.shape), d.n_classes, d.image_shape
    ((1077, 64), 10, (1, 8, 8))
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from .._validate import check_param

__all__ = ["Dataset", "digits", "moons", "xor", "spiral"]


@dataclass(frozen=True)
class Dataset:
    """Features ``x_*`` (float32) and integer labels ``y_*`` (int64) of each split.

    ``x_val``/``y_val`` are ``None`` when the data set has no validation split.
    ``image_shape`` is the shape of one sample as an image, ``(channels, height,
    width)``, when the features are pixels (``digits``), else ``None``.
    """

    name: str
    x_train: object
    y_train: object
    x_val: object
    y_val: object
    x_test: object
    y_test: object
    n_classes: int
    image_shape: tuple[int, int, int] | None = None

    @property
    def n_features(self) -> int:
        return int(self.x_train.shape[1])

    @property
    def sizes(self) -> dict:
        """Number of samples in each split."""
        out = {"train": int(self.x_train.shape[0])}
        if self.x_val is not None:
            out["val"] = int(self.x_val.shape[0])
        out["test"] = int(self.x_test.shape[0])
        return out

    def split(self, name: str):
        """``(x, y)`` of the split ``"train"``, ``"val"`` or ``"test"``."""
        if name not in ("train", "val", "test"):
            raise ValueError(f"split must be 'train', 'val' or 'test', got {name!r}")
        x, y = getattr(self, f"x_{name}"), getattr(self, f"y_{name}")
        if x is None:
            raise ValueError(f"the {self.name} data set has no {name!r} split")
        return x, y

    def images(self, name: str = "train"):
        """The features of a split reshaped to ``(samples, *image_shape)``."""
        if self.image_shape is None:
            raise ValueError(f"the {self.name} data set holds no images")
        x, _ = self.split(name)
        return x.reshape(x.shape[0], *self.image_shape)

    def to(self, device) -> Dataset:
        """The same data on ``device``."""
        move = {k: (getattr(self, k).to(device) if getattr(self, k) is not None else None)
                for k in ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test")}
        return replace(self, **move)


def _fraction(name: str, value) -> float:
    return check_param(name, value, 0.0, 1.0, low_open=True, high_open=True)


def _as_dataset(name, parts, n_classes, image_shape=None, device="cpu") -> Dataset:
    import torch

    x_tr = parts["x_train"]
    mean, std = x_tr.mean(axis=0), x_tr.std(axis=0)
    std = np.where(std == 0, 1.0, std)  # features that are constant on the training set
    tensors = {}
    for split in ("train", "val", "test"):
        x, y = parts.get(f"x_{split}"), parts.get(f"y_{split}")
        if x is None:
            tensors[f"x_{split}"] = tensors[f"y_{split}"] = None
            continue
        tensors[f"x_{split}"] = torch.as_tensor(((x - mean) / std).astype(np.float32), device=device)
        tensors[f"y_{split}"] = torch.as_tensor(np.asarray(y, dtype=np.int64), device=device)
    return Dataset(name, n_classes=n_classes, image_shape=image_shape, **tensors)


@lru_cache(maxsize=8)
def _digits_arrays(test_size: float, val_size: float, split_seed: int):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    x_rest, x_test, y_rest, y_test = train_test_split(
        x, y, test_size=test_size, random_state=split_seed, stratify=y)
    parts = {"x_test": x_test, "y_test": y_test}
    if val_size:
        x_train, x_val, y_train, y_val = train_test_split(
            x_rest, y_rest, test_size=val_size, random_state=split_seed, stratify=y_rest)
        parts.update(x_train=x_train, y_train=y_train, x_val=x_val, y_val=y_val)
    else:
        parts.update(x_train=x_rest, y_train=y_rest)
    return parts


def digits(*, test_size: float = 0.25, val_size: float = 0.2, split_seed: int = 0,
           device="cpu") -> Dataset:
    """scikit-learn's 8×8 handwritten digits, split (stratified) and standardised.

    Args:
        test_size: fraction of the 1797 images held out for the final test.
        val_size: fraction of the rest held out for validation (0 for none).
        split_seed: the random state of both splits.
        device: where the tensors live.
    """
    test_size = _fraction("test_size", test_size)
    val_size = 0.0 if val_size == 0 else _fraction("val_size", val_size)
    split_seed = check_param("split_seed", split_seed, 0, math.inf, integer=True)
    parts = _digits_arrays(test_size, val_size, split_seed)
    return _as_dataset("digits", parts, 10, (1, 8, 8), device)


def _split_2d(name, x, y, n_classes, test_size, val_size, seed, device) -> Dataset:
    from sklearn.model_selection import train_test_split

    x_rest, x_test, y_rest, y_test = train_test_split(x, y, test_size=test_size,
                                                      random_state=seed, stratify=y)
    parts = {"x_test": x_test, "y_test": y_test}
    if val_size:
        x_tr, x_val, y_tr, y_val = train_test_split(x_rest, y_rest, test_size=val_size,
                                                    random_state=seed, stratify=y_rest)
        parts.update(x_train=x_tr, y_train=y_tr, x_val=x_val, y_val=y_val)
    else:
        parts.update(x_train=x_rest, y_train=y_rest)
    return _as_dataset(name, parts, n_classes, None, device)


def moons(n: int = 400, *, noise: float = 0.2, seed: int = 0, test_size: float = 0.25,
          val_size: float = 0.0, device="cpu") -> Dataset:
    """scikit-learn's two interleaving half circles, two classes, standardised."""
    from sklearn.datasets import make_moons

    n = check_param("n", n, 8, math.inf, integer=True)
    noise = check_param("noise", noise, 0.0, math.inf)
    seed = check_param("seed", seed, 0, math.inf, integer=True)
    x, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    return _split_2d("moons", x, y, 2, _fraction("test_size", test_size),
                     0.0 if val_size == 0 else _fraction("val_size", val_size), seed, device)


def spiral(n: int = 600, *, arms: int = 3, noise: float = 0.15, turns: float = 1.0,
           seed: int = 0, test_size: float = 0.25, val_size: float = 0.0,
           device="cpu") -> Dataset:
    """``arms`` interleaved spirals (CS231n's toy problem), one class per arm."""
    n = check_param("n", n, 8, math.inf, integer=True)
    arms = check_param("arms", arms, 2, math.inf, integer=True)
    noise = check_param("noise", noise, 0.0, math.inf)
    turns = check_param("turns", turns, 0.0, math.inf, low_open=True)
    seed = check_param("seed", seed, 0, math.inf, integer=True)
    rng = np.random.default_rng(seed)
    per = n // arms
    radius = np.tile(np.linspace(0.05, 1.0, per), arms)
    label = np.repeat(np.arange(arms), per)
    angle = (radius * turns * 2 * np.pi + label * 2 * np.pi / arms
             + rng.normal(scale=noise, size=radius.size))
    x = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return _split_2d("spiral", x, label, arms, _fraction("test_size", test_size),
                     0.0 if val_size == 0 else _fraction("val_size", val_size), seed, device)


def xor(device="cpu") -> Dataset:
    """The four points of exclusive-or, ``{0, 1}²`` with label ``x1 XOR x2``, not standardised.

    The same four points serve as training and test set.
    """
    import torch

    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], device=device)
    y = torch.tensor([0, 1, 1, 0], device=device)
    return Dataset("xor", x, y, None, None, x, y, n_classes=2)
