"""The package's layers: imports run one way (views -> ui -> studies, figures -> engine -> optimizers,
surfaces -> backend), and only rmsviz.ui imports streamlit."""

import ast
from pathlib import Path

import rmsviz

ROOT = Path(rmsviz.__file__).parent
# A module may import only modules of a lower layer (or, inside ui and inside studies, of its own).
LAYERS = {
    "rmsviz.backend": 0,
    "rmsviz.meaning": 0.5,  # what an update means: the fields an optimizer's spec holds
    "rmsviz.optimizers": 1,
    "rmsviz.schedules": 1.2,  # its parameters are Hyperparameters
    "rmsviz.trajectory": 1,
    "rmsviz.files": 1.5,  # a race's runs as CSV and a notebook: nothing of rmsviz but trajectories
    "rmsviz.surfaces.expression": 1,
    "rmsviz.surfaces.symbolic": 1.5,
    "rmsviz.surfaces.formula": 1.7,
    "rmsviz.surfaces.surface": 2,
    "rmsviz.surfaces.catalog": 3,
    "rmsviz.surfaces": 4,
    "rmsviz.engine": 5,
    "rmsviz.custom": 5.5,
    "rmsviz.metrics": 6,
    "rmsviz.inspector": 6,
    "rmsviz.studies": 7,
    "rmsviz.rules": 7,
    "rmsviz.stability": 7,
    "rmsviz.figures.style": 7,
    "rmsviz.figures": 8,
    "rmsviz.figures.gif": 8.5,  # the race out of the app: builds on the race's figures
    "rmsviz.figures.html": 8.5,
    "rmsviz.ui": 9,
}


def layer(module: str) -> int:
    """The layer of ``module``: that of its longest listed prefix."""
    prefix = max((name for name in LAYERS if module == name or module.startswith(name + ".")), key=len)
    return LAYERS[prefix]


def modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}  # from rmsviz.ui import keys
    return names


def test_imports_run_one_way():
    known = modules()
    for name, path in known.items():
        if name == "rmsviz":
            continue  # the public API re-exports every layer
        for imported in imports(path):
            if imported not in known or imported == "rmsviz":
                continue
            same_package = any(
                name.startswith(p + ".") and (imported == p or imported.startswith(p + "."))
                for p in ("rmsviz.ui", "rmsviz.studies")
            )
            package_init = name in LAYERS and imported.startswith(name + ".")  # a package re-exports its own
            ok = layer(imported) < layer(name) or same_package or package_init
            assert ok, f"{name} (layer {layer(name)}) imports {imported} (layer {layer(imported)})"


def test_only_the_ui_imports_streamlit():
    for name, path in modules().items():
        if any(i == "streamlit" or i.startswith("streamlit.") for i in imports(path)):
            assert name.startswith("rmsviz.ui"), f"{name} imports streamlit"


def test_the_layers_cover_every_module():
    for name in modules():
        if name != "rmsviz":
            layer(name)  # raises where no listed layer holds it
