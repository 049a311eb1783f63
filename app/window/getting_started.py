"""The text of Help ▸ Getting Started: every room of the window, in the order a person uses them.

Each section is numbered in order. A menu entry is written as its path (``Debug ▸ Step``) with
the keys the window really gives it; a dock, an inspector section, a field and a button are
written in bold followed by the word ``dock`` / ``tab``, ``section``, ``field``, ``button``, in
the words the window shows (``tests/test_getting_started.py`` checks each against the window).
"""
from __future__ import annotations

import html
from typing import Callable

ARROW = " ▸ "


def getting_started_html(keys_of: Callable[[str], str]) -> str:
    """The Getting Started text; ``keys_of(name)`` gives the keys of the action called ``name``."""

    def menu(path: str) -> str:
        """A menu entry, by its path, with its keys when it has some."""
        keys = keys_of(path.split(ARROW)[-1].replace("…", ""))
        shown = f"<b>{html.escape(path)}</b>"
        return f"{shown} ({html.escape(keys)})" if keys else shown

    sections = [
        ("Build", f"""
<li>Open a ready-made graph from {menu("File ▸ Open Example")}, or start with {menu("File ▸ New")}.</li>
<li>Add a node: drag it from the <b>Palette</b> dock onto the canvas, or double-click it (it goes right of
the selected node, where the edge you draw from it passes under no other node). Type in the palette's search
field to find one ("loss").</li>
<li>Connect: drag from a node's output port (right) to another node's input port (left).</li>
<li>Select a node to see and edit it in the <b>Inspector</b> dock: double-click a weight's cell to change it.
Every edit can be undone with {menu("Edit ▸ Undo")}.</li>"""),
        ("Data", """
<li>An <b>Input</b> node reads one field of the graph's dataset, a mini-batch of rows at a time. A new
Input gets a field of its own at once (<i>x</i>, then <i>t</i>): one row of 1s, so the graph runs.</li>
<li>The <b>Dataset</b> tab (beside the Inspector) shows every row: edit a cell, add or remove rows,
change a field's width, or make rows with a generator (size and seed).</li>
<li>The <b>Import…</b> button there reads your own CSV file (the header names the columns; choose which
feed <i>x</i> and which label column becomes the one-hot target <i>t</i>) or NumPy .npy/.npz arrays.
The <b>Held out</b> field keeps a fraction of the rows out of training to measure the loss and accuracy
on.</li>"""),
        ("Step", f"""
<li>{menu("Debug ▸ Step")} runs the next step of the program: the forward pass node by node, then the
backward pass, then the update. Values appear above the edges, gradients below them in red. The
<b>Program</b> dock lists every step; click one to go there.</li>
<li>{menu("Debug ▸ Step Back")} undoes the last step exactly; {menu("Debug ▸ Continue")} runs to a
breakpoint or to the end of the backward pass, where every gradient is on the canvas; once more, it applies
the update and goes on; {menu("Debug ▸ Toggle Breakpoint")} stops before the selected node.</li>
<li>Select a node to read its forward and backward formulas filled in with the real numbers, in the
<b>Values &amp; gradients</b> section of the Inspector.</li>"""),
        ("Check", f"""
<li>{menu("Debug ▸ Gradient Check")} compares every gradient, of parameters and nodes, with finite
differences; each node gets a badge.</li>
<li>The examples carry the figures their sources published (Mazur's post, the book's apples): the
<b>Published values</b> section of the Inspector puts them beside ours at the current step, and a node
whose published value differs is marked on the canvas.</li>"""),
        ("Look inside a layer", f"""
<li>Select an Affine node (or the node it feeds) and choose {menu("Layer ▸ Expand to Neurons")}: the layer
becomes one node per weight and bias, a Multiply per weight, Adds that sum each neuron's input and the
activation per neuron, as Mazur draws it: every weight's value and gradient on its own edge.
{menu("Layer ▸ Collapse Neurons")} brings the layer back; both can be undone.</li>"""),
        ("Exercise", f"""
<li>{menu("Exercise ▸ Start Exercise")} asks you to predict each value before its step runs: type it in the
<b>Exercise</b> dock and press the <b>Check</b> button. A right answer, or a second wrong one, runs the step and
reveals the value; the dock keeps the score and sums up each training step.</li>
<li>A teacher picks which steps are asked with {menu("Exercise ▸ Choose Questions…")}; the choice is
saved with the file.</li>"""),
        ("Train", f"""
<li>Open the <b>Training</b> dock, set the <b>Optimizer</b> field, the <b>Learning rate</b> field and
the <b>Updates</b> field (how many updates a run makes), and press {menu("Training ▸ Train")}: the loss
falls in the <b>Training plots</b> dock.</li>
<li>{menu("Training ▸ Reset weights")} puts back the weights as loaded (or as last edited).</li>"""),
        ("Write your own layer", f"""
<li>{menu("Edit ▸ New Custom Layer")} adds a layer class in the notebook's style (<code>MulLayer</code>,
<code>Affine</code>, ...), or {menu("Edit ▸ Make Selected a Custom Layer")} turns a built-in node into its
class, with the same numbers. The inputs are the parameters of <code>forward</code> (and of
<code>__init__</code>); <code>backward(dout)</code> returns one gradient per input.</li>
<li>Edit the class in the <b>Layer code</b> dock and press the <b>Apply</b> button (Ctrl+Return; one undo
step). Its gradient check compares your <code>backward</code> with finite differences: the node shows
<i>code passed</i> or <i>code failed</i>, the dock lists the entries that disagree. Step through a failing
layer to watch the wrong numbers travel backwards; an error is marked at its line.</li>
<li>A file's Python code runs only after you say so in the bar above the canvas: it is not a sandbox, so
trust only code you would run yourself.</li>"""),
        ("Export", f"""
<li>{menu("File ▸ Export ▸ Python Script…")} writes a standalone NumPy script of one training step,
{menu("File ▸ Export ▸ Notebook…")} the same as a Jupyter notebook, and
{menu("File ▸ Export ▸ Lesson (PDF)…")} a slide for every step: the canvas around its node and the
filled-in formulas. Each takes the weights as they are now and says so when they are results of
updates.</li>
<li>{menu("File ▸ Export Canvas as PNG…")} and {menu("File ▸ Export Step Images…")} save pictures;
{menu("Training ▸ Export Loss Plot as PNG…")} and {menu("Training ▸ Export Runs as CSV…")} the training's
curves.</li>"""),
    ]
    body = "".join(f"<h4>{k}. {html.escape(title)}</h4>\n<ul>{items}\n</ul>\n"
                   for k, (title, items) in enumerate(sections, 1))
    return f"""<h3>Getting started</h3>
<p>A graph computes a loss from data and weights; the workbench runs it one step at a time, the
way a debugger runs a program, lets you check and predict every number, and then trains it.</p>
{body}<p>Every key: {menu("Help ▸ Keyboard Shortcuts")}. Fit the whole graph in view:
{menu("View ▸ Fit to Graph")}.</p>"""
