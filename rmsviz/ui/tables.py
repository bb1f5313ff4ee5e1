"""The app's tables: an HTML ``<table>`` with header cells, drawn through ``st.markdown``.

Why not ``st.table``: it turns the rows into a pandas DataFrame and then Arrow bytes on every run of every
session (a ninth of a warm race session's server CPU, measured with py-spy under benchmarks/bench_load.py),
and its first use imports pandas and pyarrow, which a server that just woke up paid before its first race
chart. A table of a few short rows needs neither. Streamlit's markdown styles it in the viewer's theme,
light or dark, like the words around it (its header cells bold, where ``st.table``'s were faded: contrast);
``STYLE`` keeps only the rows' rules and the rows' height, as ``st.table``'s ``border="horizontal"`` drew them.
"""

from __future__ import annotations

from html import escape

import streamlit as st

CLASS = "rmsviz-table"
# A table wider than the page (the conventions page's, a phone's race table) scrolls sideways in its own box, as
# st.table's did, instead of running past the page's edge.
STYLE = (
    f"<style>div.{CLASS} {{overflow-x: auto}} "
    f"table.{CLASS} {{border-collapse: collapse; width: 100%}} table.{CLASS} th, table.{CLASS} td "
    "{border-width: 0 0 1px 0; padding: 0.25rem 0.5rem} "
    f"table.{CLASS} tr:last-child td {{border-bottom: 0}}</style>"
)


def cell(value) -> str:
    """A cell's words: text as it is, a number as Python writes it, nothing for a missing value."""
    return "" if value is None else escape(str(value))


def html(rows: list[dict]) -> str:
    """``rows`` as one HTML table: a column per key (in the order the rows first give them), a row per dict."""
    headers = list(dict.fromkeys(key for row in rows for key in row))
    head = "".join(f'<th scope="col">{cell(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell(row.get(h))}</td>" for h in headers) + "</tr>" for row in rows)
    table = f'<table class="{CLASS}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    return f'{STYLE}<div class="{CLASS}" tabindex="0">{table}</div>'  # focusable: keys scroll it (axe)


def table(rows: list[dict], where=st) -> None:
    """Draw ``rows`` (dicts of header to value) as a table."""
    where.markdown(html(rows), unsafe_allow_html=True)
