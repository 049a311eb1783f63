"""The move from one training step to the next is announced, both ways, so that views redraw
every node (nothing of the new training step has run yet)."""
from __future__ import annotations

from helpers import build_mazur

from core.stepper import BEGIN_INDEX, BEGIN_STEP, Stepper


def test_beginning_a_training_step_is_announced_and_so_is_its_undo():
    st = Stepper(build_mazur())
    st.apply_update()
    executed, undone = [], []
    st.step_executed.connect(lambda step, i: executed.append((step, i)))
    st.step_undone.connect(lambda step, i: undone.append((step, i)))
    st.step()  # begins training step 2, then runs its first step
    assert executed == [(BEGIN_STEP, BEGIN_INDEX), (st.program.steps[0], 0)]
    st.step_back()  # undoes both
    assert undone == [(st.program.steps[0], 0), (BEGIN_STEP, BEGIN_INDEX)]
    assert st.at_end and st.iteration == 0
