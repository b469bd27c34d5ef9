"""The classifier as a versioned file: saved atomically, loaded once per process, reloaded when a new one lands.

Layout under ``LINLI_DATA_DIR/models/``: ``dispatch-v<N>.npz`` for every
trained version and ``dispatch-current.json`` naming the one in use. Training
writes the new file under a temporary name, renames it into place and then
swaps the pointer (both renames are atomic), so a process reading at the same
moment sees the old model or the new one, never half of one; intake never
waits for training. Each process checks the pointer at most every
``RECHECK_SECONDS`` and loads a new version outside the lock's fast path.

Without any trained file the default model is trained on first use from the
starter corpus as this installation's crosswalk relabels it (about half a
second) and kept in memory. With no file and nothing the crosswalk reaches, or
with a current file that cannot be read, ``current_model`` raises
``ModelUnavailable``: callers carry on without a suggestion and say why.

The file is a numpy ``.npz`` (a zip of ``.npy`` arrays, read with
``allow_pickle=False``: loading a file runs no code) holding the vocabulary,
IDF and SVM weights, plus a ``model.json`` member with everything else
(format, version, classes, temperatures, co-assignment counts, meta). Model
files of earlier versions were pickles; they are not loaded (a pickle can run
code) and the error says to retrain with ``linli train-dispatch``.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from linli.core.textsim import CharTfidf
from linli.dispatch.classifier import DispatchModel, Linear, train

logger = logging.getLogger("linli.dispatch")

FORMAT = "linli-dispatch-model/2"  # /1 was a pickle
SUFFIX = ".npz"
HEADER = "model.json"
RETRAIN = "retrain with `linli train-dispatch`"
POINTER = "dispatch-current.json"
RECHECK_SECONDS = 30.0

_lock = threading.Lock()
_state: dict = {"model": None, "version": None, "checked": 0.0, "files": {}, "unavailable": None}


class ModelFileError(ValueError):
    pass


class ModelUnavailable(RuntimeError):
    """No model to suggest with: ``reason`` is ``missing`` (nothing trained, no crosswalk) or ``broken``."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"dispatch model {reason}: {detail}".strip())
        self.reason = reason
        self.detail = detail


def models_dir() -> Path:
    return Path(getattr(settings, "LINLI_DISPATCH_MODEL_DIR", "") or Path(settings.DATA_DIR) / "models")


def _linear_parts(prefix: str, linear: Linear | None) -> tuple[dict[str, np.ndarray], dict | None]:
    if linear is None:
        return {}, None
    arrays = {f"{prefix}coef": linear.coef, f"{prefix}bias": linear.bias}
    return arrays, {"classes": list(linear.classes), "temperature": float(linear.temperature)}


def _linear_from(npz: Any, prefix: str, head: dict | None) -> Linear | None:
    if head is None:
        return None
    coef = np.ascontiguousarray(npz[f"{prefix}coef"])
    return Linear([str(c) for c in head["classes"]], coef, npz[f"{prefix}bias"], float(head["temperature"]))


def _co_assist_rows(co_assist: dict) -> list:
    """(path, lead unit) -> {unit: times, "_n": demands} as JSON rows [path, lead, n, [[unit, times], ...]]."""
    return [
        [path, lead, stats["_n"], sorted([u, c] for u, c in stats.items() if u != "_n")]
        for (path, lead), stats in sorted(co_assist.items())
    ]


def _co_assist_from(rows: list) -> dict:
    return {
        (str(path), int(lead)): {"_n": int(n), **{int(u): int(c) for u, c in pairs}}
        for path, lead, n, pairs in rows
    }


def save_model(model: DispatchModel, path: Path | str, *, version: str) -> Path:
    """Write ``model`` to ``path`` atomically (temporary file in the same directory, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays, features = model.features.to_arrays("features_")
    top_arrays, top = _linear_parts("top_", model.top)
    path_arrays, paths = _linear_parts("paths_", model.paths)
    header = {
        "format": FORMAT,
        "version": version,
        "meta": model.meta,
        "features": features,
        "top": top,
        "paths": paths,
        "classes": list(model.classes),
        "threshold": model.threshold,
        "body_chars": model.body_chars,
        "co_assist": _co_assist_rows(model.co_assist),
    }
    fd, tmp = tempfile.mkstemp(prefix=".dispatch-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(HEADER, json.dumps(header, ensure_ascii=False))
            for name, array in {**arrays, **top_arrays, **path_arrays}.items():
                with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_model_file(path: Path | str) -> tuple[str, DispatchModel]:
    path = Path(path)
    try:
        with path.open("rb") as handle:
            start = handle.read(2)
    except OSError as exc:
        raise ModelFileError(f"cannot read model file {path}: {exc}") from exc
    if start[:1] == b"\x80":  # a pickle protocol 2+ header: the format before numpy files
        raise ModelFileError(f"{path} is a pickled model of an earlier Linli and is not loaded; {RETRAIN}")
    try:
        with np.load(path, allow_pickle=False) as npz:
            header = json.loads(npz.zip.read(HEADER).decode("utf-8"))
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise ModelFileError(f"{path} is not a Linli dispatch model of this version; {RETRAIN}")
            model = DispatchModel(
                features=CharTfidf.from_arrays(npz, "features_", header["features"]),
                top=_linear_from(npz, "top_", header["top"]),
                paths=_linear_from(npz, "paths_", header["paths"]),
                classes=[str(c) for c in header["classes"]],
                threshold=float(header["threshold"]),
                co_assist=_co_assist_from(header["co_assist"]),
                meta=dict(header["meta"]),
                body_chars=header["body_chars"],
            )
    except ModelFileError:
        raise
    except (OSError, ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile) as exc:
        raise ModelFileError(f"cannot read model file {path}: {exc}; {RETRAIN}") from exc
    return str(header["version"]), model


def publish(model: DispatchModel) -> tuple[str, Path]:
    """Save as the next version and make it current. Returns (version, path)."""
    directory = models_dir()
    directory.mkdir(parents=True, exist_ok=True)
    numbers = [  # earlier versions' pickles (.pkl) count too: a version number is never reused
        int(p.stem.split("-v")[-1])
        for p in directory.glob("dispatch-v*.*")
        if p.suffix in (SUFFIX, ".pkl") and p.stem.split("-v")[-1].isdigit()
    ]
    version = f"v{max(numbers, default=0) + 1}"
    path = save_model(model, directory / f"dispatch-{version}{SUFFIX}", version=version)
    fd, tmp = tempfile.mkstemp(prefix=".pointer-", dir=directory)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"version": version, "file": path.name}, handle)
    os.replace(tmp, directory / POINTER)
    with _lock:
        _state["checked"] = 0.0  # this process picks it up at the next call
    return version, path


def _pointer() -> tuple[str, Path] | None:
    pointer = models_dir() / POINTER
    try:
        data = json.loads(pointer.read_text(encoding="utf-8"))
        return str(data["version"]), pointer.parent / data["file"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _default_model() -> DispatchModel | None:
    """The starter corpus through this installation's crosswalk, or None when it reaches fewer than two categories."""
    from linli.dispatch.services import starter_samples_local

    samples = starter_samples_local()
    if len({s.path.split("/")[0] for s in samples}) < 2:
        return None
    model = train(samples)
    model.meta["trained_on"] = "starter corpus (crosswalked)"
    return model


def current_model() -> tuple[str, DispatchModel]:
    """The model in use and its version ("starter" before the first training).

    Raises ``ModelUnavailable`` when the current file cannot be read or there is nothing to train a default on.
    """
    now = time.monotonic()
    model, version = _state["model"], _state["version"]
    if model is not None and now - _state["checked"] < RECHECK_SECONDS:
        return version, model
    with _lock:
        if _state["model"] is not None and now - _state["checked"] < RECHECK_SECONDS:
            return _state["version"], _state["model"]
        if _state["unavailable"] and now - _state["checked"] < RECHECK_SECONDS:
            raise ModelUnavailable(*_state["unavailable"])
        _state["checked"] = now
        found = _pointer()
        try:
            if found is not None and found[0] != _state["version"]:
                try:
                    version, model = load_model_file(found[1])
                except ModelFileError as exc:
                    if _state["model"] is None:
                        raise ModelUnavailable("broken", str(exc)) from exc
                    # a model in use is never replaced by one that cannot be read
                    logger.error(
                        "dispatch model %s unreadable, keeping %s: %s", found[0], _state["version"], exc
                    )
                    return _state["version"], _state["model"]
                _state.update(model=model, version=version, unavailable=None)
            if found is None and _state["version"] != "starter":
                model = _default_model()
                if model is None:
                    raise ModelUnavailable(
                        "missing", "no trained model and no crosswalk for the starter corpus"
                    )
                _state.update(model=model, version="starter", unavailable=None)
        except ModelUnavailable as exc:
            _state.update(model=None, version=None, unavailable=(exc.reason, exc.detail))
            raise
        return _state["version"], _state["model"]


def model_from(path: str | None) -> tuple[str, DispatchModel]:
    """A model file given on a command line (cached per process), or the current model."""
    if not path:
        return current_model()
    with _lock:
        if path not in _state["files"]:
            _state["files"][path] = load_model_file(path)
        return _state["files"][path]


def reset_for_tests() -> None:
    with _lock:
        _state.update(model=None, version=None, checked=0.0, files={}, unavailable=None)
