"""The palette's op symbols are badges before the titles, as the canvas draws a node's caption
(its family's colour, the symbol in white), not text right-aligned where a menu puts a shortcut."""
from __future__ import annotations

from PySide6.QtGui import QColor

from app.editor import style
from app.editor.palette import BADGE, SYMBOL_ROLE, Palette
from core.ops import all_ops, get_op


def _close(a: QColor, b: QColor) -> bool:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) <= 12


def test_one_column_and_a_badge_for_every_op(qtbot) -> None:
    palette = Palette()
    qtbot.addWidget(palette)
    assert palette.tree.columnCount() == 1  # no second, right-aligned column that reads as shortcuts
    for op in all_ops():
        item = palette.item_for(op.type)
        assert item.text(0) == op.title
        image = item.icon(0).pixmap(BADGE).toImage()
        assert _close(image.pixelColor(2, BADGE.height() // 2), style.family_colour(op.family)), op.type
    assert palette.item_for("Sigmoid").data(0, SYMBOL_ROLE) == "σ"
    assert palette.item_for("Affine").data(0, SYMBOL_ROLE) == "Wx+b"
    for leaf in ("Input", "Constant", "Parameter"):  # their letters (x, c, w) say nothing: a plain badge
        assert palette.item_for(leaf).data(0, SYMBOL_ROLE) == ""


def _white_in(image) -> int:
    return sum(image.pixelColor(x, y).lightness() > 230 and image.pixelColor(x, y).alpha() > 200
               for x in range(image.width()) for y in range(image.height()))


def test_the_badge_holds_the_symbol_and_sits_left_of_the_title(qtbot) -> None:
    palette = Palette()
    qtbot.addWidget(palette)
    palette.resize(260, 700)
    palette.show()
    qtbot.waitExposed(palette)
    assert _white_in(palette.item_for("Sigmoid").icon(0).pixmap(BADGE).toImage()) > 4  # the σ, in white
    assert _white_in(palette.item_for("Input").icon(0).pixmap(BADGE).toImage()) == 0  # a plain chip
    shot = palette.tree.viewport().grab().toImage()
    for op_type in ("Affine", "Sigmoid", "Add"):
        rect = palette.tree.visualItemRect(palette.item_for(op_type))
        colour = style.family_colour(get_op(op_type).family)
        ratio = shot.width() / palette.tree.viewport().width()
        y = round(rect.center().y() * ratio)
        xs = [x for x in range(shot.width()) if _close(shot.pixelColor(x, y), colour)]
        assert xs, op_type
        title_left = rect.left() + BADGE.width()
        assert max(xs) / ratio <= title_left + 8, op_type  # the badge is before the title, on the left
        assert max(xs) / ratio < palette.tree.viewport().width() / 2, op_type
