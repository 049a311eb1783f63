"""The op registry. Importing this package registers every op family."""
from core.ops import activations, arithmetic, leaves, linear, losses, structure  # noqa: F401  (registration)
from core.ops.base import AttrSpec, Op, all_ops, get_op, unbroadcast

FAMILIES = ("data", "parameters", "arithmetic", "linear", "activations", "losses", "structure")

__all__ = ["AttrSpec", "Op", "FAMILIES", "all_ops", "get_op", "unbroadcast"]
