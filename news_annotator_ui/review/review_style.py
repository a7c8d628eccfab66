"""The review window's own style sheet (kept beside it, out of the app-wide one)."""

REVIEW_STYLE = """
QToolBar#reviewToolBar { background: #ffffff; border-bottom: 1px solid #e1e4e8;
                         padding: 4px 8px; spacing: 6px; }
QLabel#reviewDocumentTitle { font-weight: 600; color: #2b3038; padding-right: 6px; }
QToolButton#decisionButton { background: #ffffff; border: 1px solid #d5d9df;
                             border-radius: 5px; padding: 3px 9px; color: #2b3038; }
QToolButton#decisionButton:hover { background: #eef3fb; border-color: #9fb6d9; }
QToolButton#decisionButton:disabled { color: #b8bec6; }
QToolButton#annotatorChooser { border: 1px solid #d5d9df; border-radius: 5px;
                               padding: 3px 8px; background: #f7f8fa; }
QWidget#reviewColumnHeader { background: #f4f5f7; border-bottom: 1px solid #e1e4e8; }
QLabel#reviewColumnTitle { font-weight: 600; color: #2b3038; }
QLabel#reviewColumnCount { color: #6b7480; }
QLabel#reviewSummary { color: #2b3038; padding: 2px 2px 6px 2px; }
QTableView#differenceList { background: #ffffff; border: 1px solid #e1e4e8;
                            selection-background-color: #dce8f8; selection-color: #1d1f23; }
"""
