"""Helpers the app tests share."""

import pytest

from rmsviz.studies.sweep import SweepResult
from rmsviz.ui.sweep import SweepConfig


@pytest.fixture
def config_of():
    """The sweep page's config that stands for a sweep made by ``studies.sweep.sweep`` (its ranges and
    cells read back from the grid; what it fixed as the config's fixed settings)."""

    def make(result: SweepResult, **extra) -> SweepConfig:
        x, y = result.x_values, result.y_values
        return SweepConfig(
            result.optimizer, result.surface, result.x_name, (x[0], x[-1]), len(x), result.y_name, (y[0], y[-1]),
            len(y), result.steps, 0 if len(result.starts) == 1 else len(result.starts), tuple(result.fixed.items()),
            "numpy", "cpu", **extra,
        )  # fmt: skip

    return make
