"""The package's layers: imports run one way (views -> ui -> studies, figures -> engine -> optimizers,
surfaces -> backend), only rmsviz.ui imports streamlit, no module reaches for another's private names, and
figures draw the numbers they are handed."""

import ast
import functools
import importlib
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
    "rmsviz.rules": 6.5,  # a typed rule: a custom optimizer written out as the inspector does
    "rmsviz.studies": 7,
    "rmsviz.stability": 6.8,  # why a run bounces: below the studies, whose sentences (a preset's note) read it
    "rmsviz.preconditioning": 7.2,  # a run in its optimizer's coordinates: P is stability's rates
    "rmsviz.figures.style": 7,
    "rmsviz.figures.theme": 7,  # light and dark: the contour colours the race's figures and the GIF draw with
    "rmsviz.figures": 8,
    "rmsviz.figures.gif": 8.5,  # the race out of the app: builds on the race's figures
    "rmsviz.figures.html": 8.5,
    "rmsviz.figures.preconditioned": 8.5,  # the race in a racer's own coordinates, beside the race's figure
    "rmsviz.figures.scrub": 8.5,  # a setting scrubbed on the race's figure
    "rmsviz.figures.decay": 8.7,  # the decay page's figures, γ scrubbed on them by figures.scrub
    "rmsviz.ui": 9,
    "rmsviz.i18n": 0.2,  # the message catalogs' lookups: imports nothing of rmsviz; words for every layer above
}


# The package itself, the public API, is the front door for views, tests and notebooks: no module of the
# package imports it (each imports the module that defines a name), and it re-exports only the core below
# the studies, so that importing it stays light and no study can form a cycle through it.
PUBLIC_API = "rmsviz"
CORE = LAYERS["rmsviz.studies"]
# What a figure reads as it is: a surface (its grid and contours), a run's recorded arrays, and the measures
# of a run that every page reports. From any other module below it a figure takes only the types and
# constants of what it draws (a SweepResult, a Stability), never a module or a function: the caller computes
# (a rate ceiling, the decay weights) and hands the figure the numbers.
FIGURES = "rmsviz.figures"
FIGURES_READ = ("rmsviz.surfaces", "rmsviz.trajectory", "rmsviz.metrics", "rmsviz.i18n")  # + its words' lookups


def layer(module: str) -> int:
    """The layer of ``module``: that of its longest listed prefix."""
    prefix = max((name for name in LAYERS if module == name or module.startswith(name + ".")), key=len)
    return LAYERS[prefix]


def inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


@functools.cache
def modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def names(path: Path) -> list[tuple[str, str | None]]:
    """What ``path`` imports: (m, None) for ``import m``, (p, n) for ``from p import n``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [(node.module, alias.name) for alias in node.names]
    return found


def target(module: str, name: str | None) -> str:
    """The module an import loads: ``from rmsviz.ui import keys`` the module rmsviz.ui.keys, ``from rmsviz
    import run`` the package rmsviz (the public API)."""
    return f"{module}.{name}" if name is not None and f"{module}.{name}" in modules() else module


def imports(path: Path) -> set[str]:
    return {target(module, name) for module, name in names(path)}


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(path: Path) -> list[str]:
    """The private names ``path`` takes from another module: ``from rmsviz.engine import _resolve``, or
    ``engine._resolve`` through a module it imported."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bound, found = {}, []  # local name -> the module it stands for
    for module, name in names(path):
        if name is None:
            bound[module.split(".")[0]] = module.split(".")[0]
        elif target(module, name) != module:
            bound[name] = target(module, name)
        elif module in modules() and private(name):
            found.append(f"{module}.{name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.alias) and node.asname and node.name in bound:
            bound[node.asname] = bound.pop(node.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and private(node.attr):
            dotted = ast.unparse(node.value)
            root, _, rest = dotted.partition(".")
            module = ".".join(filter(None, (bound.get(root), rest)))
            if root in bound and module in modules():
                found.append(f"{module}.{node.attr}")
    return found


def test_imports_run_one_way():
    wrong = []
    for name, path in modules().items():
        if name == PUBLIC_API:
            continue  # test_the_public_api_re_exports_the_core
        for imported in sorted(imports(path) & modules().keys()):
            same_package = any(inside(name, p) and inside(imported, p) for p in ("rmsviz.ui", "rmsviz.studies"))
            package_init = name in LAYERS and imported.startswith(name + ".")  # a package re-exports its own
            if imported == PUBLIC_API:
                wrong.append(f"{name} imports the public API, rmsviz: import from the module that defines the name")
            elif not (layer(imported) < layer(name) or same_package or package_init):
                wrong.append(f"{name} (layer {layer(name)}) imports {imported} (layer {layer(imported)})")
    assert not wrong, "\n".join(wrong)


def test_the_public_api_re_exports_the_core():
    wrong = [
        f"rmsviz re-exports {imported} (layer {layer(imported)}; the core is below the studies, {CORE})"
        for imported in sorted(imports(modules()[PUBLIC_API]) & modules().keys())
        if layer(imported) >= CORE
    ]
    assert not wrong, "\n".join(wrong)


def test_no_module_takes_another_modules_private_names():
    wrong = [f"{name} takes {taken}" for name, path in modules().items() for taken in private_uses(path)]
    assert not wrong, "\n".join(wrong)


def test_figures_draw_what_they_are_handed():
    wrong = []
    for name, path in modules().items():
        if not inside(name, FIGURES):
            continue
        for module, imported in names(path):
            source = target(module, imported)
            if source not in modules() or inside(source, FIGURES) or any(inside(source, r) for r in FIGURES_READ):
                continue
            value = getattr(importlib.import_module(module), imported) if source == module else None
            if value is None or (callable(value) and not isinstance(value, type)):
                wrong.append(f"{name} takes {imported or module} from {module}: hand the figure the numbers instead")
    assert not wrong, "\n".join(wrong)


def test_only_the_ui_imports_streamlit():
    for name, path in modules().items():
        if any(i == "streamlit" or i.startswith("streamlit.") for i in imports(path)):
            assert name.startswith("rmsviz.ui"), f"{name} imports streamlit"


def test_the_layers_cover_every_module():
    for name in modules():
        if name != PUBLIC_API:
            layer(name)  # raises where no listed layer holds it
