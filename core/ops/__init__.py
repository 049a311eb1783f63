"""The op registry. Importing this package registers every op family."""
from core.custom import op as _custom  # noqa: E402,F401  (registers CustomLayer)
from core.ops import activations, arithmetic, leaves, linear, losses, structure  # noqa: F401  (registration)
from core.ops.base import FAMILIES, AttrSpec, Op, all_ops, by_family, get_op, register, unbroadcast, unregister

__all__ = ["AttrSpec", "Op", "FAMILIES", "all_ops", "by_family", "get_op", "register", "unbroadcast", "unregister"]
