"""Published values beside ours: Mazur's and Saito's figures agree, the two documented variants are labelled."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import EXAMPLES, load_example

from core.io.fileformat import FormatError, dumps, loads
from core.references import AGREES, DISAGREES, VARIANT, Reference, check_references, compare, published_digits
from core.rewrite import expand

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name, count", [("mazur", 21), ("apple", 6), ("apple_orange", 7)])
def test_every_published_figure_agrees_but_the_two_documented_variants(name: str, count: int) -> None:
    found = check_references(load_example(name))
    assert len(found) == count
    variants = [a for a in found if a.status == VARIANT]
    assert all(a.status in (AGREES, VARIANT) for a in found)
    if name != "mazur":
        assert not variants
        return
    assert [(a.reference.target, a.reference.value) for a in variants] == [
        ("loss", 0.291027924), ("W2[0,1]", 0.51137012)]
    loss, w7 = variants
    assert loss.ours == pytest.approx(0.29102777369, abs=1e-11)
    assert w7.ours == pytest.approx(0.51130127, abs=1e-8)
    assert "already updated" in loss.text() and "w8's gradient" in w7.text()
    w5 = next(a for a in found if a.reference.target == "W2[0,0]" and a.reference.after_updates == 1)
    assert w5.text() == "published 0.35891648 — Mazur, A Step by Step Backpropagation Example — agrees to 8 digits"


def test_the_mazur_description_explains_both_variants() -> None:
    text = load_example("mazur").description
    for figure in ("0.291027924", "0.29102777369", "0.51137012", "0.51130127"):
        assert figure in text


def test_agreement_is_rounding_to_the_published_digits() -> None:
    ref = Reference("n", "value", 0.3775, "src")
    assert published_digits(0.3775) == 4 and published_digits(110) == 3 and published_digits(0.000438568) == 6
    assert compare(ref, 0.37754).status == AGREES
    assert compare(ref, 0.37756).status == DISAGREES
    assert compare(Reference("n", "value", 0.3775, "src", variant="known slip"), 0.38).status == VARIANT
    assert compare(ref, None).text() == "published 0.3775 — src — ours is not computed yet"
    assert compare(ref, 0.5).text() == "published 0.3775 — src — DISAGREES: ours is 0.5"


def test_a_changed_weight_makes_its_figures_disagree() -> None:
    graph = load_example("mazur")
    graph.set_value("W2", [[0.41, 0.5], [0.45, 0.55]])
    bad = {a.reference.target for a in check_references(graph) if a.status == DISAGREES}
    assert {"affine2[0,0]", "sigmoid2[0,0]", "loss"} <= bad


def test_references_survive_saving_and_expanding() -> None:
    graph = load_example("mazur")
    assert loads(dumps(graph)).references == graph.references
    expanded, _ = expand(expand(graph, "affine1")[0], "affine2")
    found = {(a.reference.target, a.reference.after_updates): a.status for a in check_references(expanded)}
    assert found[("W2[0,0]", 1)] == AGREES  # read from w5's own node
    assert found[("sigmoid2[0,1]", 0)] == AGREES


@pytest.mark.parametrize("change, message", [
    ({"node": "nowhere"}, "references[0].node: there is no node 'nowhere'"),
    ({"quantity": "slope"}, "references[0].quantity: must be 'value' or 'gradient', not 'slope'"),
    ({"after_updates": -1}, "references[0].after_updates: must be 0 or more, not -1"),
])
def test_a_bad_reference_names_its_place(change: dict, message: str) -> None:
    doc = json.loads((EXAMPLES / "apple.json").read_text(encoding="utf-8"))
    doc["references"][0].update(change)
    with pytest.raises(FormatError, match=message.replace("[", r"\[").replace("]", r"\]")):
        loads(json.dumps(doc), source="apple.json")


def test_eval_json_reports_each_reference_and_whether_all_agree() -> None:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "app", "eval", str(EXAMPLES / "mazur.json"), "--json"],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    doc = json.loads(done.stdout)
    assert doc["references_agree"] is True
    assert [r["status"] for r in doc["references"]].count("variant") == 2
    first = doc["references"][0]
    assert first["published"] == 0.3775 and first["status"] == "agrees" and first["index"] == [0, 0]


def test_the_inspector_and_the_canvas_show_published_values(make_main_window) -> None:
    from PySide6.QtGui import QFontMetrics

    from app import debugger
    from app.editor import style
    from app.model.document import Document
    from app.teach import published

    window = make_main_window(Document(load_example("mazur")), install=[debugger.install, published.install])
    section, marks = window.published
    c = window.debugger.controller
    window.selected_node = lambda: "W2"
    c.run_backward()
    section.refresh()
    lines = section.lines()
    assert "gradient of W2[0,0]: published 0.082167041 — Mazur, A Step by Step Backpropagation Example — " \
           "agrees to 8 digits" in lines[0]
    c.apply_update()
    c.run_forward()
    section.refresh()
    assert any("value of W2[0,0] after 1 update: published 0.35891648" in x and "agrees to 8 digits" in x
               for x in section.lines())
    assert any("a documented variant" in x for x in section.lines())
    assert any("gradient of W2[0,0]: published 0.082167041" in x and "ours is in training step 1" in x
               for x in section.lines())
    w2 = window.scene.node_item("W2")
    assert w2.badge == ("variant", True) and w2.badge_colour == "#9a6a00"
    assert "value of W2[0,1] after 1 update: published 0.51137012" in w2.toolTip()
    assert "the notebook updates w7 with w8's gradient" in w2.toolTip()
    assert window.scene.node_item("loss").badge == ("variant", True)
    fm = QFontMetrics(style.font("label"))
    for item in window.scene.node_items():  # every badge reads whole on its node
        if item.badge is not None:
            assert fm.horizontalAdvance(item.badge[0]) + 10 <= item.body_rect().width() - 16, item.node_id
    c.apply_update()  # training step 3: no published figure applies, so no badge
    c.run_forward()
    assert [item.node_id for item in window.scene.node_items() if item.badge is not None] == []
    assert any("value of W2[0,0] after 1 update" in x and "ours is in training step 2" in x for x in section.lines())


def test_the_canvas_marks_a_node_whose_published_value_disagrees(make_main_window) -> None:
    from app import debugger
    from app.model.document import Document
    from app.teach import published

    graph = load_example("mazur")
    graph.set_value("b2", 0.7)  # a changed bias: the figures of the output layer disagree
    window = make_main_window(Document(graph), install=[debugger.install, published.install])
    window.debugger.controller.run_forward()
    assert window.scene.node_item("sigmoid2").badge == ("differs", False)
    assert "DISAGREES: ours is" in window.scene.node_item("sigmoid2").toolTip()
    assert window.scene.node_item("sigmoid1").badge is None


def test_a_deleted_node_takes_its_published_figures_out_of_the_saved_file_and_undo_brings_them_back() -> None:
    graph = load_example("mazur")
    before = [dict(r) for r in graph.references]
    node, edges = graph.remove_node("affine2")
    saved = loads(dumps(graph))  # loaded before this fix failed: "references[3].node: there is no node 'affine2'"
    assert saved.references == [r for r in before if r["node"] != "affine2"]
    assert len(saved.references) < len(before)
    graph.add_node(node.op_type, node.id, attrs=node.attrs, pos=node.pos, value=node.value)
    for edge in edges:
        graph.connect(edge.src, edge.dst, edge.port)
    assert loads(dumps(graph)).references == before


def test_a_renamed_node_keeps_its_published_figures_and_its_place_in_an_exercise() -> None:
    graph = load_example("mazur")
    graph.set_exercise({"ask": "nodes", "nodes": ["affine2", "sigmoid2"]})
    count = sum(r["node"] == "affine2" for r in graph.references)
    graph.rename_node("affine2", "net_o")
    saved = loads(dumps(graph))
    assert sum(r["node"] == "net_o" for r in saved.references) == count > 0
    assert saved.exercise is not None and saved.exercise["nodes"] == ["net_o", "sigmoid2"]
    graph.remove_node("net_o")
    graph.remove_node("sigmoid2")
    assert loads(dumps(graph)).exercise is None  # no hand-picked node left: no exercise
