"""The `annotator` command: create, import, export, inspect and search projects."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from news_annotator import __version__
from news_annotator.backup import backup_project
from news_annotator.errors import AnnotatorError, InputError
from news_annotator.exporting import ExportRequest, export_project
from news_annotator.formats import available_formats
from news_annotator.formats.common.fields import parse_field_map
from news_annotator.formats.common.records import ReadOptions
from news_annotator.importing import ImportProgress, import_paths
from news_annotator.progress import ProgressBar
from news_annotator.project import Project
from news_annotator.schema import load_schema
from news_annotator.server_address import project_location

EPILOG = """examples:
  annotator init study.annotator
  annotator import study.annotator corpora/demo --annotator alice
  annotator import study.annotator scraped.csv --field text=body --field id=guid
  annotator stats study.annotator
  annotator search study.annotator '"joint team"'
  annotator export study.annotator --format json --out study.json
  annotator merge team.annotator alice.annotator bob.annotator
  annotator agree team.annotator --layer quote --annotators alice,bob

a team project on a PostgreSQL server goes wherever a project file does:
  annotator init 'postgresql://lead@/team?host=/run/postgresql'
  annotator grant 'postgresql://lead@/team?host=/run/postgresql' alice
  annotator merge alice.annotator 'postgresql://alice@/team?host=/run/postgresql'  # pull
  annotator merge 'postgresql://alice@/team?host=/run/postgresql' alice.annotator  # push
  annotator suggest study.annotator --learn-from alice,gold --report

exit status: 0 done; 1 an error (explained on stderr); 130 interrupted; 141 the output
was closed before it was all read (`annotator agree ... | head`), like any command a
broken pipe stops.
"""
EXIT_OUTPUT_CLOSED = 141  # 128 + SIGPIPE, what a shell reports for `yes | head`


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator", description="News Annotator: annotate news articles offline "
        "(entities, quotes, claims). Projects are single SQLite files, or team projects "
        "in a PostgreSQL database (postgresql://ROLE@HOST/DB).",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser("init", help="create a new project file (or server project)",
                               description="Create a project with the default news schema "
                               "(entities, quotes, claims) or the schema you give: a file, or "
                               "a team project in an existing PostgreSQL database (URL), "
                               "owned by the role that creates it.")
    init.add_argument("project", type=project_location,
                      help="the project file to create, or postgresql://ROLE@HOST/DB")
    init.add_argument("--schema", type=Path, help="a label schema JSON file")

    readable = available_formats(reading=True)
    imp = commands.add_parser(
        "import", help="import articles or annotations into a project",
        description="Import files or folders in one transaction: all or nothing. Documents "
        "already in the project (same id or same text) are skipped. Formats: "
        + ", ".join(readable) + " (detected from content and suffix when not given).")
    imp.add_argument("project", type=project_location)
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.add_argument("--format", dest="format_name", metavar="FMT",
                     help="the input format: " + ", ".join(readable))
    imp.add_argument("--annotator", default="", metavar="NAME",
                     help="annotator to credit for annotations that name none")
    imp.add_argument("--field", action="append", default=[], metavar="OURS=THEIRS",
                     help="map an input field to ours (text, title, id, url, published, "
                     "source), e.g. --field text=body; repeatable")
    imp.add_argument("--skip-bad", action="store_true",
                     help="import the good records and report the bad ones instead of failing")
    imp.add_argument("--add-labels", action="store_true",
                     help="add labels and relation types the schema lacks instead of failing")
    imp.add_argument("--create", action="store_true",
                     help="create the project first if it does not exist")

    writable = available_formats(reading=False)
    exp = commands.add_parser("export", help="export a project",
                              description="Export documents and annotations. Formats: "
                              + ", ".join(writable) + ".")
    exp.add_argument("project", type=project_location)
    exp.add_argument("--format", dest="format_name", default="json", metavar="FMT",
                     help="the output format (default: json)")
    exp.add_argument("--out", type=Path, required=True,
                     help="the file (or folder) to write; what was there is replaced only "
                     "once the export is complete")
    exp.add_argument("--annotator", action="append", default=None, metavar="NAME",
                     help="export only this annotator's work; repeatable")
    exp.add_argument("--layer", action="append", default=None, metavar="LAYER",
                     help="export only this layer's spans (and relations between them); "
                     "repeatable")

    backup = commands.add_parser(
        "backup", help="copy a project safely, even while the app is using it",
        description="Copy a project with SQLite's online backup: consistent even while "
        "the app or another process writes to it.")
    backup.add_argument("project", type=project_location)
    backup.add_argument("destination", type=Path, nargs="?",
                        help="a file or folder (default: PROJECT-DATE-TIME beside it)")

    stats = commands.add_parser("stats", help="count documents, spans and relations",
                                description="Counts per layer, label, annotator and status.")
    stats.add_argument("project", type=project_location)
    stats.add_argument("--json", action="store_true", help="print one JSON object")

    search = commands.add_parser(
        "search", help="full-text search over titles and texts",
        description='Full-text search (SQLite FTS5, or PostgreSQL\'s on a server): words, '
        '"exact phrases", AND/OR/NOT, prefix*. Results show a snippet with the match in '
        "[brackets].")
    search.add_argument("project", type=project_location)
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true", help="print a JSON list")

    merge = commands.add_parser(
        "merge", help="merge annotators' project files into one",
        description="Merge project files into OUT (created if missing) in one transaction: "
        "documents by uid or text, annotators by name, spans and relations by uid, statuses "
        "by newest. Merging again adds nothing; the order of inputs does not matter. "
        "Conflicting schemas are refused before anything is written. With a server: "
        "`merge FILE URL` pulls, `merge URL FILE` pushes the role's own work (a curator's "
        "gold too) and reports what it refused.")
    merge.add_argument("out", type=project_location, metavar="OUT",
                       help="the project to merge into (a server's URL: push)")
    merge.add_argument("inputs", nargs="+", type=project_location, metavar="INPUT",
                       help="project files to merge (opened read-only)")

    grant = commands.add_parser(
        "grant", help="let a server role annotate a team project (owner only)",
        description="Let PostgreSQL role ROLE annotate as annotator ROLE: it reads the whole "
        "project and writes only its own spans, relations and statuses (the server enforces "
        "it with grants and row-level security). A curator may also write gold, add "
        "documents and change the schema. Run as the project's owner; again without "
        "--curator takes curating away.")
    grant.add_argument("project", type=project_location, metavar="URL")
    grant.add_argument("role", metavar="ROLE", help="an existing PostgreSQL role")
    grant.add_argument("--curator", action="store_true",
                       help="also gold, documents and the schema")

    agree = commands.add_parser(
        "agree", help="inter-annotator agreement",
        description="Span F1 (exact and overlap), Cohen's and Fleiss' kappa and Krippendorff's "
        "alpha on tokens, Krippendorff's alpha_u on characters, per layer and label, and the "
        "documents with most disagreement. Undefined values print as — with a note.")
    agree.add_argument("project", type=project_location)
    agree.add_argument("--layer", help="only this layer")
    agree.add_argument("--annotators", metavar="A,B",
                       help="comma-separated annotator names (default: all)")
    agree.add_argument("--top", type=int, default=20, metavar="N",
                       help="how many documents to rank by disagreement (default 20)")
    agree.add_argument("--json", action="store_true", help="print one JSON object")

    sug = commands.add_parser(
        "suggest", help="pre-annotate: suggestions learned from accepted work, quote rules",
        description="Write suggestions as annotator --as (default: suggestions) into every "
        "document the --learn-from annotators have not annotated (--documents all: every "
        "document, skipping spans that exist), replacing that annotator's earlier "
        "suggestions there. Learns one model per layer from the --learn-from annotators' "
        "spans and relations (stored in the project); with none named, only the project's "
        "gazetteer and the English quote-frame rules suggest. Rejected suggestions are "
        "never proposed again.")
    sug.add_argument("project", type=project_location)
    sug.add_argument("--learn-from", default="", metavar="NAME[,NAME…]",
                     help="annotators whose work to learn from, in order of trust")
    sug.add_argument("--layer", action="append", default=None, metavar="LAYER",
                     help="only this layer; repeatable (default: every layer)")
    sug.add_argument("--documents", choices=("unannotated", "all"), default="unannotated",
                     help="which documents get suggestions (default: unannotated)")
    sug.add_argument("--as", dest="as_annotator", default="suggestions", metavar="NAME",
                     help="the annotator the suggestions belong to (default: suggestions)")
    sug.add_argument("--report", action="store_true",
                     help="then score the suggestions against the --learn-from annotators' "
                     "work: precision, recall and F1 per label, and Citron's quote scores")
    sug.add_argument("--no-rules", action="store_true",
                     help="leave out the built-in English quote-frame rules")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit status (see EPILOG)."""
    try:
        try:
            return _run(argv)
        finally:
            sys.stdout.flush()  # a reader that left shows here, not at interpreter exit
    except BrokenPipeError:
        _discard_output()
        return EXIT_OUTPUT_CLOSED


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except AnnotatorError as error:
        print(f"annotator {args.command}: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"annotator {args.command}: interrupted; nothing was changed", file=sys.stderr)
        return 130


def _discard_output() -> None:
    """Point stdout and stderr at the null device, so what is still buffered for a closed
    pipe goes nowhere at exit instead of raising there."""
    null = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(null, stream.fileno())
        except (OSError, ValueError):  # not a real file (tests capture output)
            pass
    os.close(null)


def cmd_init(args: argparse.Namespace) -> int:
    schema = load_schema(args.schema) if args.schema else None
    with Project.create(args.project, schema) as project:
        layers = ", ".join(layer.name for layer in project.schema.layers)
    print(f"created {args.project} (layers: {layers})")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    try:
        field_map = parse_field_map(args.field)
    except ValueError as error:
        raise InputError("--field", str(error)) from None
    if args.create and isinstance(args.project, Path) and not args.project.exists():
        opened = Project.create(args.project, fill_before_sharing=True)
    else:
        opened = Project.open(args.project)
    options = ReadOptions(annotator=args.annotator, field_map=field_map, skip_bad=args.skip_bad,
                          add_labels=args.add_labels)
    bar = ProgressBar("importing")

    def show(progress: ImportProgress) -> None:
        detail = f"{progress.documents:,} documents · {Path(progress.current).name}"
        if progress.bytes_total >= 1_000_000:
            bar.update(progress.bytes_done // 1_000_000,
                       total=progress.bytes_total // 1_000_000, detail=f"MB · {detail}")
        else:
            bar.update(progress.files_done, total=progress.files_total, detail=detail)

    with opened as project:
        try:
            report = import_paths(project, args.paths, format_name=args.format_name,
                                  options=options, progress=show)
        finally:
            bar.close()
    for bad in report.skipped:
        print(f"skipped: {bad}", file=sys.stderr)
    for bad in report.skipped_annotations:
        print(f"skipped annotation: {bad}", file=sys.stderr)
    for warning in report.warnings[:20]:
        print(f"warning: {warning}", file=sys.stderr)
    if len(report.warnings) > 20:
        print(f"warning: … and {len(report.warnings) - 20:,} more", file=sys.stderr)
    print(f"imported {report.documents_added:,} new documents from {report.files:,} file(s)"
          f" ({report.duplicates:,} already present, {len(report.skipped):,} bad records "
          f"skipped); {report.spans_added:,} spans, {report.relations_added:,} relations; "
          f"{len(report.skipped_annotations):,} annotations skipped, "
          f"{len(report.warnings):,} warnings")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    request = ExportRequest(
        args.project, args.out, args.format_name,
        annotators=None if args.annotator is None else tuple(args.annotator),
        layers=None if args.layer is None else tuple(args.layer))
    bar = ProgressBar("exporting")
    try:
        result = export_project(request,
                                progress=lambda done, total: bar.update(done, total=total))
    finally:
        bar.close()
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"exported {result.documents:,} documents to {args.out} ({args.format_name})")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    target = backup_project(args.project, args.destination)
    print(f"backed up {args.project} to {target}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with Project.open(args.project, read_only=True) as project:
        stats = project.stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    print(f"documents  {stats['documents']:>10,}   ({stats['characters']:,} characters)")
    print(f"spans      {stats['spans']:>10,}")
    print(f"relations  {stats['relations']:>10,}")
    for layer, labels in stats["by_label"].items():
        print(f"\n{layer}")
        for label, count in labels.items():
            print(f"  {label:<16}{count:>8,}")
    if stats["by_relation_type"]:
        print("\nrelations")
        for kind, count in stats["by_relation_type"].items():
            print(f"  {kind:<16}{count:>8,}")
    if stats["by_annotator"]:
        print("\nannotators")
        for name, counts in stats["by_annotator"].items():
            extra = ", ".join(f"{k} {v:,}" for k, v in counts.items() if k not in
                              ("spans", "relations"))
            print(f"  {name:<16}{counts['spans']:>8,} spans {counts['relations']:>6,} relations"
                  + (f"  ({extra})" if extra else ""))
    if stats["by_status"]:
        print("\nstatus")
        for status, count in stats["by_status"].items():
            print(f"  {status:<16}{count:>8,}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        # After a bulk import the index catches up once; say so rather than seem to hang.
        bar = ProgressBar("indexing new documents for search (once)")
        project.documents.update_search_index(
            progress=lambda done, total: bar.update(done, total=total))
        bar.close()
        try:
            hits = project.documents.search(args.query, limit=args.limit)
        except ValueError as error:
            raise InputError(args.project, str(error)) from None
    if args.json:
        print(json.dumps([{"document_id": h.document_id, "title": h.title, "snippet": h.snippet}
                          for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("no matches")
    for hit in hits:
        snippet = " ".join(hit.snippet.split())  # one line, though it spans paragraphs
        print(f"{hit.document_id:>6}  {hit.title}\n        {snippet}")
    return 0


def cmd_grant(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        project.grant(args.role, curator=args.curator)
    kind = "curator" if args.curator else "annotator"
    print(f"granted {args.role!r} on {args.project}: {kind} (writes as {args.role!r}"
          + (", gold and the schema)" if args.curator else " only)"))
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from news_annotator.review.merge import merge_projects

    report = merge_projects(args.out, args.inputs)
    print("\n".join(report.lines()))
    return 0


def cmd_agree(args: argparse.Namespace) -> int:
    from news_annotator.agreement import agreement_report, format_report

    names = [n for n in args.annotators.split(",") if n.strip()] if args.annotators else None
    with Project.open(args.project, read_only=True) as project:
        report = agreement_report(project, layer=args.layer, annotators=names,
                                  top_documents=args.top)
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json
          else format_report(report))
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    from news_annotator.suggest.engine import suggest
    from news_annotator.suggest.quality import project_quality

    learn_from = tuple(n.strip() for n in args.learn_from.split(",") if n.strip())
    bar = ProgressBar("suggesting")
    with Project.open(args.project) as project:
        try:
            result = suggest(project, args.documents, learn_from=learn_from,
                             layers=args.layer, as_annotator=args.as_annotator,
                             use_rules=not args.no_rules, workers=os.cpu_count() or 1,
                             progress=lambda done, total: bar.update(done, total=total))
        finally:
            bar.close()
        print("\n".join(result.lines()))
        if args.report:
            reference = learn_from or tuple(
                a.name for a in project.annotators.all() if a.name != args.as_annotator)
            report = project_quality(project, reference, args.as_annotator, layers=args.layer)
            print("\n".join(report.lines()))
    return 0


COMMANDS = {"backup": cmd_backup, "init": cmd_init, "import": cmd_import, "export": cmd_export,
            "stats": cmd_stats, "search": cmd_search, "merge": cmd_merge, "agree": cmd_agree,
            "suggest": cmd_suggest, "grant": cmd_grant}

if __name__ == "__main__":
    sys.exit(main())
