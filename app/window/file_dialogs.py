"""The one place the workbench makes its file dialogs (open, save, export, folders).

Qt's own file dialog (the one shown where the platform offers no native dialog, e.g. under a bare
X server) names each file's type and picks its icon through an icon provider. Qt's provider asks
``QMimeDatabase`` with content sniffing: it reads the first bytes of every file without a known
extension, and it does so on the GUI thread for the path typed in the file-name field (its
completer). A file whose read blocks (``/proc/kmsg``, a device) then froze the window for good,
signals included. Every dialog made here uses :class:`NameOnlyIcons`, which tells a file's type
and icon from its name (and whether it is a folder) and never opens it.
"""
from __future__ import annotations

from PySide6.QtCore import QFileInfo, QMimeDatabase
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget

Option = QFileDialog.Option
ALWAYS = Option.DontUseCustomDirectoryIcons  # a folder's custom icon is read from a file inside it


class NameOnlyIcons(QFileIconProvider):
    """File types and icons by name only: a folder is a folder, a file is what its extension says
    (``QMimeDatabase.MatchExtension``), and nothing is ever read. Qt calls it on its file-info
    thread too: it keeps no state but a cache of icons by type name."""

    def __init__(self) -> None:
        super().__init__()
        self.setOptions(QFileIconProvider.Option.DontUseCustomDirectoryIcons)
        self._mimes = QMimeDatabase()
        self._folder = super().icon(QFileIconProvider.IconType.Folder)
        self._file = super().icon(QFileIconProvider.IconType.File)
        self._icons: dict[str, QIcon] = {}

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        if not info.isFile():  # a device, a pipe, a socket: nothing to name it by
            return "Special file"
        mime = self._mimes.mimeTypeForFile(info.fileName(), QMimeDatabase.MatchMode.MatchExtension)
        return mime.comment() or mime.name()

    def icon(self, what: object) -> QIcon:  # type: ignore[override]  # both of Qt's overloads
        if not isinstance(what, QFileInfo):
            return super().icon(what)  # type: ignore[call-overload]
        if what.isDir():
            return self._folder
        mime = self._mimes.mimeTypeForFile(what.fileName(), QMimeDatabase.MatchMode.MatchExtension)
        icon = self._icons.get(mime.name())
        if icon is None:
            icon = QIcon.fromTheme(mime.iconName(), QIcon.fromTheme(mime.genericIconName(), self._file))
            self._icons[mime.name()] = icon
        return icon


_provider: NameOnlyIcons | None = None


def icon_provider() -> NameOnlyIcons:
    """The provider every dialog shares (made once, kept for the life of the process: a dialog's
    model and its file-info thread use it after the dialog's own Python wrapper is gone)."""
    global _provider
    if _provider is None:
        _provider = NameOnlyIcons()
    return _provider


def make_dialog(parent: QWidget | None, caption: str, start: str = "", file_filter: str = "",
                options: Option = ALWAYS) -> QFileDialog:
    """A file dialog that never reads a file's contents; ``start`` is a folder, or a file's path
    (its folder opens with its name filled in)."""
    dialog = QFileDialog(parent, caption, start, file_filter)
    dialog.setOptions(options | ALWAYS)
    dialog.setIconProvider(icon_provider())
    return dialog


def _run(dialog: QFileDialog) -> str:
    """The path chosen in ``dialog`` ("" when cancelled)."""
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return ""
        chosen = dialog.selectedFiles()
        return chosen[0] if chosen else ""
    finally:
        dialog.deleteLater()


def open_path(parent: QWidget | None, caption: str, start: str, file_filter: str) -> str:
    """An existing file to read ("" when cancelled)."""
    dialog = make_dialog(parent, caption, start, file_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    return _run(dialog)


def save_path(parent: QWidget | None, caption: str, suggested: str, file_filter: str,
              options: Option = ALWAYS) -> str:
    """A file to write ("" when cancelled); ``suggested`` is the path first shown. With
    ``Option.DontConfirmOverwrite`` the caller asks about replacing a file itself."""
    dialog = make_dialog(parent, caption, suggested, file_filter, options)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    return _run(dialog)


def folder_path(parent: QWidget | None, caption: str, start: str = "") -> str:
    """An existing folder ("" when cancelled)."""
    dialog = make_dialog(parent, caption, start, "", Option.ShowDirsOnly)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    return _run(dialog)
