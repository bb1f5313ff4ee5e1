"""AppTest for the conventions page: the table cites its sources, the racers race, a bad link is refused."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from rmsviz.studies import conventions

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_page(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/conventions.py")
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_table_race_and_translator():
    at = open_page()
    assert not at.exception and not at.warning
    table = at.table[0].value.to_csv()
    for c in conventions.CONVENTIONS:
        assert c.framework in table and c.source in table
    for name in conventions.UNREAD:
        assert name in table and "not read" in table
    raced = at.table[1].value.to_csv()
    assert "PyTorch" in raced and "Keras 3" in raced and "TensorFlow 1" not in raced
    assert any("TensorFlow 1 is not raced" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 1


def test_bad_link_values_are_refused():
    at = open_page(conv_lr="7", conv_steps="-1", conv_from="Nope")
    assert not at.exception
    assert at.warning
