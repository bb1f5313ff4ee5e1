"""The app's pages, in the sidebar's order: the one list that app.py navigates over and the tests open.

A page's name is its script's name in views/, which Streamlit also makes its URL path (/decay), so a
name here is part of every link already shared. The first page is the default one, served at /.
"""

from __future__ import annotations

from dataclasses import dataclass

from rmsviz.i18n import N_


@dataclass(frozen=True)
class Page:
    """One page: its script in views/, its sidebar title (an English message id, shown translated) and its
    Material icon."""

    name: str
    title: str
    icon: str

    @property
    def script(self) -> str:
        """The script's path from the app's folder, as ``st.Page`` and ``AppTest.switch_page`` take it."""
        return f"views/{self.name}.py"

    @property
    def default(self) -> bool:
        return self is PAGES[0]

    @property
    def path(self) -> str:
        """The page's URL path on the served app: / for the default page, /name for the others."""
        return "/" if self.default else f"/{self.name}"


PAGES = (
    Page("race", N_("Optimizer race"), ":material/sports_score:"),
    Page("decay", N_("γ decay weights"), ":material/trending_down:"),
    Page("noise", N_("Noisy gradients"), ":material/casino:"),
    Page("train", N_("Train a model"), ":material/psychology:"),
    Page("sweep", N_("Hyperparameter sweep"), ":material/grid_on:"),
    Page("conventions", N_("RMSProp across frameworks"), ":material/translate:"),
)
BY_NAME = {page.name: page for page in PAGES}
