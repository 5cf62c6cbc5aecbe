"""The arrows of the architecture, read from the imports: no module of the
package imports itself back round a circle, writers do not import each other
(the PDF, EPUB and web page share the HTML layer), the DOCX is built from the
model and the format-neutral helpers, not from HTML, and the model imports
nothing of the project."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Module → the project modules it imports (at any depth in its code)."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if "_data" in path.parts:
            continue
        name = _module(path)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline"):
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("pipeline"))
        graph[name] = found
    modules = set(graph)

    def with_packages(importer: str, target: str) -> set[str]:
        # importing a.b.c runs a.b's __init__ first: an arrow to it as well,
        # unless the importer is inside a.b (the package is being made) or it
        # is the root package (always made first)
        parts = target.split(".")
        return {target} | {p for k in range(2, len(parts))
                           if not importer.startswith((p := ".".join(parts[:k])) + ".")}

    return {m: {t for target in targets if target in modules
                for t in with_packages(m, target) if t in modules and t != m}
            for m, targets in graph.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_no_import_circles():
    graph = imports()
    # a package's __init__ importing its own submodules is not a circle
    graph = {m: {t for t in ts if not t.startswith(m + ".")} for m, ts in graph.items()}
    assert _cycles(graph) == []


def test_compat_adapts_libraries_and_decides_nothing_of_a_writer():
    """compat/ reaches into libraries for the writers; it imports none of
    them (how a PDF line is set is ``writers.pdf.lines``' policy), so that
    no writer's package is made while a compat module is being made."""
    graph = imports()
    for module, targets in graph.items():
        if module.startswith("pipeline.compat"):
            assert not {t for t in targets if t.startswith("pipeline.writers")}, module
    # the graph knows that importing a package's module makes the package
    # first: lines imports compat.weasyprint, and so compat's __init__
    assert {"pipeline.compat", "pipeline.compat.weasyprint"} <= \
        graph["pipeline.writers.pdf.lines"]


def test_the_docx_writer_is_built_from_the_model_not_html():
    graph = imports()
    for module, targets in graph.items():
        if module.startswith("pipeline.writers.docx"):
            assert not targets & {"pipeline.writers.html", "pipeline.writers.page",
                                  "pipeline.writers.pdf", "pipeline.writers.epub",
                                  "pipeline.writers.web"}, module


def test_writers_do_not_import_each_other():
    graph = imports()
    shared = {"pipeline.writers.html", "pipeline.writers.page", "pipeline.writers",
              "pipeline.writers.drawings"}
    formats = {"pipeline.writers.pdf", "pipeline.writers.epub", "pipeline.writers.web",
               "pipeline.writers.docx"}
    for module in formats:
        others = {t for t in graph.get(module, ()) if t in formats or
                  (t.startswith("pipeline.writers.docx") and module != "pipeline.writers.docx")}
        assert not others - shared, (module, others)


def test_the_model_imports_nothing_of_the_project():
    assert imports()["pipeline.model"] == set()


def test_no_module_is_over_400_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_the_reader_is_the_only_user_of_markdown_and_yaml():
    users = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            if any(n.split(".")[0] in ("markdown_it", "mdit_py_plugins", "yaml") for n in names):
                users.add(_module(path))
    assert users and all(u.startswith("pipeline.reader") for u in users), users


def test_every_reach_into_a_library_private_name_is_in_compat():
    """``x._name`` outside pipeline/compat/ only on the project's own objects:
    ``self``, ``cls``, or a name bound to one of the project's classes."""
    reaches = []
    for path in PACKAGE.rglob("*.py"):
        if "compat" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                    and not node.attr.startswith("__") and node.attr != "_exit":  # os._exit
                owner = node.value
                if isinstance(owner, ast.Name) and owner.id in ("self", "cls", "state"):
                    continue
                reaches.append(f"{path.relative_to(PACKAGE)}:{node.lineno} .{node.attr}")
    assert reaches == []


TESTS = Path(__file__).resolve().parent


def modules_importing_a_test_module(folder: Path = TESTS) -> dict[str, list[str]]:
    """Python file under ``folder`` → the test modules (test_*.py) it imports."""
    found = {}
    for path in folder.rglob("*.py"):
        if "node_modules" in path.parts:
            continue
        names = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names.append(node.module or "")
                if not node.module:  # from . import test_x
                    names += [a.name for a in node.names]
        if tests := [n for n in names if n.rsplit(".", 1)[-1].startswith("test_")]:
            found[str(path.relative_to(folder))] = tests
    return found


def test_no_test_module_imports_another():
    """A checker two test modules share lives in tests/helpers/ (the judges)
    or conftest.py: importing a test module runs its module-level code and
    collects its tests twice over in the reader's mind."""
    assert modules_importing_a_test_module() == {}


def test_the_import_rule_catches_each_spelling(tmp_path):
    for n, line in enumerate(["from test_epub import epubcheck", "import test_pdf",
                              "from tests.test_docx import x", "from .test_epub import y",
                              "from . import test_words_in_order"]):
        (tmp_path / f"m{n}.py").write_text(line + "\n")
    (tmp_path / "fine.py").write_text("from judges import epubcheck\nimport testing\n")
    assert sorted(modules_importing_a_test_module(tmp_path)) == [f"m{n}.py" for n in range(5)]


def test_every_format_the_schema_offers_has_a_writer_and_no_other():
    from pipeline import schema, writers
    assert tuple(writers.FORMATS) == schema.FORMATS


def test_every_memo_has_the_one_owner():
    """A memo made with functools directly would outlive a font or template
    changed under its name (``caches.clear_memos`` would not know it)."""
    found = [f"{p.relative_to(PACKAGE)}:{n}" for p in PACKAGE.rglob("*.py")
             if p.name != "caches.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if "lru_cache" in line or "functools.cache" in line or "@cache" in line]
    assert found == []
