"""AppTest for the training page: the default run, stopping and resuming, torch parity, edge values, bad links."""

import re

import pytest
from helpers import chart, open_page, tables
from streamlit.runtime.scriptrunner_utils.exceptions import StopException
from streamlit.testing.v1 import AppTest

from rmsviz.backend import torch_installed
from rmsviz.studies import train
from rmsviz.ui import train_links


def epochs_shown(at: AppTest) -> list[int]:
    return [int(epochs) for epochs in tables(at)[0]["epochs"]]  # the words, read as the numbers they write


def test_defaults_train_four_optimizers_for_ten_epochs():
    at = open_page("train")
    assert not at.exception and not at.error and not at.warning
    names = [t["name"] for t in chart(at)["data"] if t["showlegend"]]
    assert names == [f"{o} ({s})" for o in ("RMSProp", "SGD", "Momentum", "Rprop") for s in ("train", "test")]
    assert epochs_shown(at) == [10] * 4
    assert all(float(a.rstrip("%")) > 80 for a in tables(at)[0]["test accuracy"])
    assert not at.get("progress") and not at.button  # the bar and Stop are gone once training is done


def test_stop_shows_what_finished_and_resume_goes_on(monkeypatch):
    # A click on Stop reruns the script; Streamlit ends the running one at its next call. Here the fourth
    # epoch ends it the same way, then the click arrives.
    next_epoch, calls = train.next_epoch, []

    def interrupted(run, checkpoint):
        calls.append(run)
        if len(calls) > 3:
            raise StopException
        return next_epoch(run, checkpoint)

    monkeypatch.setattr(train, "next_epoch", interrupted)
    at = open_page("train", train_seed="12345")  # runs no other test has stored
    monkeypatch.setattr(train, "next_epoch", next_epoch)
    at.button(key=train_links.STOP).click().run()
    assert not at.exception and any("Stopped" in i.value for i in at.info)
    assert epochs_shown(at) == [3, 0, 0, 0]  # RMSProp's first three epochs had finished
    at.button(key=train_links.RESUME).click().run()
    assert epochs_shown(at) == [10] * 4 and not at.info and not at.button


@pytest.mark.skipif(not torch_installed(), reason="torch is optional (requirements-torch.txt)")
def test_torch_rmsprop_agrees():
    at = open_page("train", torch="true", hidden="16", epochs="3")
    assert not at.exception and not at.warning
    text = next(m.value for m in at.markdown if "torch.optim.RMSprop differ" in m.value)
    assert float(re.search(r"\*\*(.+?)\*\*", text).group(1)) < 1e-10
    assert [t["name"] for t in chart(at)["data"] if t["mode"] == "markers" and t["showlegend"]] == [
        "torch.optim.RMSprop (train)",
        "torch.optim.RMSprop (test)",
    ]


@pytest.mark.parametrize("end", [0, 1], ids=["low", "high"])
def test_every_slider_at_either_end(end):
    at = open_page("train")
    at.multiselect(key=train_links.OPTIMIZERS_KEY).set_value(["rmsprop"])
    at.slider(key=train_links.HIDDEN).set_value([0, 256][end])
    at.slider(key=train_links.EPOCHS).set_value([1, 200][end])
    at.select_slider(key=train_links.BATCH).set_value([0, 512][end])
    at.run()
    for widget in at.select_slider:
        if widget.key != train_links.BATCH:
            widget.set_value(float(widget.options[-end]))
    at.run()
    assert not at.exception
    assert len(chart(at)["data"]) == 4  # train and test, loss and accuracy


def test_garbage_link_gives_notices_and_a_working_page():
    at = open_page("train", hidden="abc", epochs="1e9", batch="7", train_optimizers="Nope", bogus="1")
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    for fragment in ("hidden=abc", "epochs=1e9", "batch=7", "train_optimizers=Nope", "bogus"):
        assert fragment in notices
    assert epochs_shown(at) == [10] * 4


def test_no_optimizer_is_a_message():
    at = open_page("train")
    at.multiselect(key=train_links.OPTIMIZERS_KEY).set_value([]).run()
    assert not at.exception and any("Pick at least one" in i.value for i in at.info)
