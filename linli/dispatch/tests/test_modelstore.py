"""Model files: numpy arrays and JSON, no pickle; a pickle of an earlier version is refused with a way out."""

from __future__ import annotations

import json
import pickle
import zipfile

import numpy as np
import pytest

from linli.dispatch import modelstore
from linli.dispatch.classifier import Sample, train

TEXTS = {
    "城乡建设/市政设施/路灯": ["小区门口路灯不亮", "路灯坏了晚上很黑", "街道路灯一直不亮"],
    "城乡建设/物业管理/电梯": ["电梯坏了半个月物业不修", "电梯故障老人下不了楼", "电梯经常停运"],
    "劳动和社会保障/工资": ["公司拖欠工资三个月", "老板欠薪不发", "工资被克扣"],
}


def _model():
    samples = [
        Sample(text=t, path=path, lead_unit_id=7, assisting_unit_ids=(8, 9) if "电梯" in path else (8,))
        for path, texts in TEXTS.items()
        for t in texts
    ]
    return train(samples * 2)


def test_a_saved_model_loads_back_and_answers_the_same(tmp_path):
    model = _model()
    path = modelstore.save_model(model, tmp_path / "m.npz", version="v3")
    version, again = modelstore.load_model_file(path)
    assert version == "v3"
    items = [("路灯", "晚上路灯不亮"), ("", "电梯又坏了"), ("欠薪", "拖欠工资")]
    assert again.predict(items) == model.predict(items)
    assert [p.level1 for p in again.predict(items)] == ["城乡建设", "城乡建设", "劳动和社会保障"]
    assert again.co_assist == model.co_assist
    assert again.assisting_for("城乡建设/物业管理/电梯", 7) == [8, 9]
    assert again.meta == model.meta and again.body_chars == model.body_chars


def test_the_file_is_numpy_arrays_and_json_only(tmp_path):
    path = modelstore.save_model(_model(), tmp_path / "m.npz", version="v1")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        header = json.loads(archive.read("model.json"))
    assert "model.json" in names and all(n.endswith(".npy") for n in names if n != "model.json")
    assert header["format"] == modelstore.FORMAT
    assert header["top"]["classes"] == ["劳动和社会保障", "城乡建设"]
    with np.load(path, allow_pickle=False) as npz:  # raises if any member needs pickle
        arrays = {name: npz[name] for name in npz.files if name != "model.json"}
    assert arrays and all(a.dtype != object for a in arrays.values())


def test_a_pickled_model_of_an_earlier_version_is_refused_with_the_command_to_retrain(tmp_path):
    old = tmp_path / "models" / "dispatch-v2.pkl"
    old.parent.mkdir(parents=True)
    old.write_bytes(pickle.dumps({"format": "linli-dispatch-model/1", "version": "v2", "model": None}))
    with pytest.raises(modelstore.ModelFileError, match="linli train-dispatch"):
        modelstore.load_model_file(old)
    (old.parent / modelstore.POINTER).write_text('{"version": "v2", "file": "dispatch-v2.pkl"}')
    with pytest.raises(modelstore.ModelUnavailable) as caught:
        modelstore.current_model()
    assert caught.value.reason == "broken" and "linli train-dispatch" in caught.value.detail

    # the next version is numbered after the pickles, and is a numpy file
    version, path = modelstore.publish(_model())
    assert (version, path.name) == ("v3", "dispatch-v3.npz")
    assert modelstore.current_model()[0] == "v3"


def test_a_file_that_is_not_a_model_is_an_error_not_a_crash(tmp_path):
    junk = tmp_path / "x.npz"
    with zipfile.ZipFile(junk, "w") as archive:
        archive.writestr("model.json", json.dumps({"format": "something-else"}))
    with pytest.raises(modelstore.ModelFileError, match="not a Linli dispatch model"):
        modelstore.load_model_file(junk)
    (tmp_path / "y.npz").write_bytes(b"not a model")
    with pytest.raises(modelstore.ModelFileError, match="cannot read"):
        modelstore.load_model_file(tmp_path / "y.npz")
