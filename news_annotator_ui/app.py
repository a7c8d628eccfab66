"""`annotator-gui [PROJECT|CORPUS] [--screenshot FILE.png] [--document N] [--annotator NAME]`."""

from __future__ import annotations

import argparse
import os
import sys
from importlib import resources
from pathlib import Path

from news_annotator_ui import preflight


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="annotator-gui", description="Annotate news articles: entities, quotes, claims.")
    parser.add_argument("path", nargs="?", help="a project file, a corpus folder/file "
                        "(a project file is made beside it), or a team project's "
                        "postgresql://ROLE@HOST/DB")
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help="render the main window offscreen to a PNG and exit")
    parser.add_argument("--document", type=int, metavar="N",
                        help="open document N (its id in the project)")
    parser.add_argument("--annotator", metavar="NAME", help="annotate as NAME")
    parser.add_argument("--size", default="1400x900", metavar="WxH",
                        help="window size for --screenshot (default 1400x900)")
    return parser.parse_args(argv)


def load_style_sheet() -> str:
    """The app's style sheet, shipped in the news_annotator.resources package."""
    try:
        return (resources.files("news_annotator.resources") / "style.qss").read_text("utf-8")
    except (OSError, ModuleNotFoundError) as error:
        print(f"annotator-gui: no style sheet ({error}); using Qt's default look",
              file=sys.stderr)
        return ""


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.screenshot:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # must precede the QApplication
    elif problem := preflight.problem():
        print(problem, file=sys.stderr)  # instead of Qt's abort and core dump
        return 1

    from PySide6.QtWidgets import QApplication

    from news_annotator.server_address import is_server_url
    from news_annotator_ui import settings as prefs
    from news_annotator_ui.dialogs.annotator_name import ask_annotator_name
    from news_annotator_ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(prefs.ORGANIZATION)
    app.setApplicationName(prefs.APPLICATION)
    app.setStyle("Fusion")
    app.setStyleSheet(load_style_sheet())
    settings = prefs.Settings()
    name = args.annotator or settings.get(prefs.ANNOTATOR_NAME)
    if not name and not args.screenshot:
        name = ask_annotator_name()
        if not name:
            return 1
    if name and name != settings.get(prefs.ANNOTATOR_NAME) and not args.screenshot:
        settings.set(prefs.ANNOTATOR_NAME, name)
    window = MainWindow(settings, annotator_name=name or "annotator",
                        remember_layout=not args.screenshot)
    path = args.path or settings.get(prefs.LAST_PROJECT) or None
    if path and (args.path or is_server_url(path) or Path(path).exists()):
        window.open_path(path, document_id=args.document, import_now=bool(args.screenshot))
    if args.screenshot:
        return take_screenshot(app, window, Path(args.screenshot), args.size)
    window.show()
    return app.exec()


def take_screenshot(app, window, target: Path, size: str) -> int:
    """Lay the window out offscreen, let pending events run, save it as a PNG."""
    from PySide6.QtCore import QEventLoop, QTimer

    width, _, height = size.partition("x")
    window.resize(int(width), int(height))
    window.show()
    for _ in range(5):  # layout, the view's lazy text layout, then a paint
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        loop = QEventLoop()
        QTimer.singleShot(30, loop.quit)
        loop.exec()
    target.parent.mkdir(parents=True, exist_ok=True)
    saved = window.grab().save(str(target), "PNG")
    window.close()
    if not saved:
        print(f"could not write {target}", file=sys.stderr)
        return 1
    print(f"screenshot saved to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
