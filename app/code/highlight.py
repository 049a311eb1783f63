"""Python colouring for the code editor: Pygments' lexer, drawn by a QSyntaxHighlighter.

Each block (line) is lexed with the state the previous one ended in ("inside a triple-quoted
string" or not), so a docstring over several lines is coloured as a string throughout.
"""
from __future__ import annotations

from pygments.lexers import PythonLexer
from pygments.token import Comment, Keyword, Name, Number, Operator, String, Token, _TokenType
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

_STYLES: list[tuple[_TokenType, str, bool]] = [  # token type, colour, bold
    (Keyword, "#0033b3", True),
    (Name.Builtin, "#7a3e9d", False),
    (Name.Function, "#00627a", False),
    (Name.Class, "#00627a", True),
    (Name.Decorator, "#9e880d", False),
    (String, "#067d17", False),
    (Number, "#1750eb", False),
    (Comment, "#8c8c8c", False),
    (Operator.Word, "#0033b3", True),
]
_IN_STRING = 1  # block state: the line ends inside a triple-quoted string


def _format(colour: str, bold: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(colour))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    return fmt


class PythonHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._lexer = PythonLexer(stripnl=False, ensurenl=False)
        self._formats = [(kind, _format(colour, bold)) for kind, colour, bold in _STYLES]

    def format_of(self, token: _TokenType) -> QTextCharFormat | None:
        for kind, fmt in self._formats:
            if token in kind:
                return fmt
        return None

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        opened = self.previousBlockState() == _IN_STRING
        source = ('"""' + text) if opened else text
        shift = 3 if opened else 0
        at = 0
        last: _TokenType = Token
        for token, value in self._lexer.get_tokens(source):
            start = at - shift
            at += len(value)
            last = token
            fmt = self.format_of(token)
            if fmt is not None and at - shift > 0:
                self.setFormat(max(0, start), at - shift - max(0, start), fmt)
        ends_open = last in String and source.count('"""') % 2 == 1
        self.setCurrentBlockState(_IN_STRING if ends_open else 0)
