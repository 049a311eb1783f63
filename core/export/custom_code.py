"""Custom layers in an exported script: the user's class carried verbatim, called as the
workbench calls it (on copies of the inputs; a gradient summed down to a broadcast input's
shape). Only trusted code is carried: an export is the code's way out of the workbench, and
the export itself runs it once on zeros (for the shapes)."""
from __future__ import annotations

from dataclasses import dataclass

from core.custom.source import source_of
from core.custom.trust import SESSION
from core.export.errors import ExportError
from core.program import NodePlan

CALLS = '''\
def make_layer(cls, *inputs):
    """A custom layer that takes inputs in its constructor, made on copies of them."""
    return cls(*[np.array(a, dtype=float) for a in inputs])


def call_forward(layer, *inputs):
    """A custom layer's forward as the workbench calls it: on copies of the inputs, the result
    as an array."""
    return np.array(layer.forward(*[np.array(a, dtype=float) for a in inputs]), dtype=float)


def call_backward(layer, dout, *inputs):
    """A custom layer's backward as the workbench calls it, on a copy of dout: one gradient per
    input (None past the ones it returns), summed down to the input's shape where NumPy broadcast it."""
    grads = layer.backward(np.array(dout, dtype=float))
    if not isinstance(grads, (tuple, list)) or (len(inputs) == 1 and len(grads) != 1):
        grads = [grads]
    grads = list(grads) + [None] * (len(inputs) - len(grads))
    return tuple(None if g is None else sum_to(np.array(g, dtype=float), np.shape(x)) for g, x in zip(grads, inputs))
'''


@dataclass(frozen=True)
class CustomClass:
    name: str
    code: str
    n_forward: int  # the first ports go to forward, the rest to the constructor


def custom_class(plan: NodePlan) -> CustomClass:
    """The node's class, or an ExportError when its code is not trusted or not a layer."""
    code = str(plan.attrs.get("code", ""))
    if not SESSION.is_trusted(code):
        raise ExportError(f"node {plan.id} (custom layer): its code is not trusted; export only a file you trust "
                          "(--trust-code, or trust it in the window)")
    source = source_of(code)
    if not source.ok:
        raise ExportError(f"node {plan.id} (custom layer): {source.error}")
    return CustomClass(source.class_name, code, len(source.forward_ports))


def classes_of(plans: list[NodePlan], taken: set[str]) -> dict[str, CustomClass]:
    """Each custom node's class; two different classes of one name (or a name the script's own
    layers use) cannot live in one script."""
    out: dict[str, CustomClass] = {}
    by_name: dict[str, str] = {}
    for plan in plans:
        cls = custom_class(plan)
        other = by_name.setdefault(cls.name, cls.code)
        if other != cls.code or cls.name in taken:
            raise ExportError(f"node {plan.id} (custom layer): another layer in the graph is also called "
                              f"{cls.name}; rename one of the classes")
        out[plan.id] = cls
    return out
