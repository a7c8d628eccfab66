"""Export benchmark: our JSONL and XML writers vs a raw sqlite3 SELECT + serialize loop.

The project (default 1,000,000 spans over 10,000 articles, two annotators, relations
and statuses) is generated once, deterministically (fixed seed), straight through the
store's bulk inserts in one transaction, and cached in bench/out/. Each export runs in
its own child process so its peak RSS (ru_maxrss) is its own. The raw baselines select
the same rows and write the same bytes (checked), without our layers in between.

    .venv/bin/python bench/bench_export.py [--spans N] [--repeat R]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

OURS = r"""
import sys
from pathlib import Path
from news_annotator.formats import get_format
from news_annotator.project import Project
with Project.open(sys.argv[1], read_only=True) as project:
    get_format(sys.argv[3]).module.write(project, Path(sys.argv[2]))
"""

# The raw loop: the same rows, per-document queries in id order, the same output shape.
RAW_COMMON = r"""
import json, sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
names = dict(conn.execute("SELECT id, name FROM annotators"))
loads = json.loads

def documents():
    for doc in conn.execute("SELECT id, uid, title, text, source, url, published, metadata, "
                            "added_at FROM documents ORDER BY id"):
        spans = conn.execute(
            'SELECT id, uid, annotator_id, layer, label, start, "end", fragments, text, '
            'attributes, note, created_at, updated_at FROM spans WHERE document_id = ? '
            'ORDER BY start, "end" DESC, id', (doc[0],)).fetchall()
        uids = {s[0]: s[1] for s in spans}
        relations = conn.execute(
            "SELECT uid, annotator_id, type, source_id, target_id, attributes FROM relations "
            "WHERE document_id = ? ORDER BY id", (doc[0],)).fetchall()
        statuses = conn.execute(
            "SELECT annotator_id, status, updated_at FROM document_status "
            "WHERE document_id = ? ORDER BY annotator_id", (doc[0],)).fetchall()
        yield doc, spans, uids, relations, statuses
"""

RAW_JSONL = RAW_COMMON + r"""
with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as out:
    out.write("{}\n")
    for doc, spans, uids, relations, statuses in documents():
        record = {
            "uid": doc[1], "title": doc[2], "text": doc[3], "source": doc[4], "url": doc[5],
            "published": doc[6], "metadata": loads(doc[7]), "added_at": doc[8],
            "spans": [{"uid": s[1], "annotator": names[s[2]], "layer": s[3], "label": s[4],
                       "start": s[5], "end": s[6], "fragments": loads(s[7]), "text": s[8],
                       "attributes": loads(s[9]), "note": s[10], "created_at": s[11],
                       "updated_at": s[12]} for s in spans],
            "relations": [{"uid": r[0], "annotator": names[r[1]], "type": r[2],
                           "source": uids[r[3]], "target": uids[r[4]],
                           "attributes": loads(r[5])} for r in relations],
            "statuses": [{"annotator": names[a], "status": st, "updated_at": at}
                         for a, st, at in statuses]}
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
"""

RAW_XML = RAW_COMMON + r"""
from lxml import etree
SPACE = "{http://www.w3.org/XML/1998/namespace}space"
def kind(value):
    if value is None: return "null"
    if isinstance(value, bool): return "boolean"
    if isinstance(value, (int, float)): return "number"
    return "array" if isinstance(value, list) else "map"
def fill(node, value):
    if isinstance(value, bool): node.text = "true" if value else "false"
    elif isinstance(value, (int, float)): node.text = json.dumps(value)
    elif isinstance(value, list):
        for item in value: member(node, item, None)
    elif isinstance(value, dict):
        for key, item in value.items(): member(node, item, key)
def member(parent, value, key):
    keyed = {"key": key} if key is not None else {}
    if isinstance(value, str):
        etree.SubElement(parent, "string", keyed).text = value
    else:
        fill(etree.SubElement(parent, kind(value), keyed), value)
def attributes(parent, values):
    for name, value in loads(values).items():
        if isinstance(value, str):
            etree.SubElement(parent, "attribute", name=name).text = value
        else:
            fill(etree.SubElement(parent, "attribute", name=name, type=kind(value)), value)
with open(sys.argv[2], "wb") as handle, etree.xmlfile(handle, encoding="utf-8") as xf:
    with xf.element("news-annotator"):
        xf.write("\n")
        with xf.element("documents"):
            xf.write("\n")
            for doc, spans, uids, relations, statuses in documents():
                d = etree.Element("document", {"uid": doc[1], "added-at": doc[8]})
                etree.SubElement(d, "title").text = doc[2]
                for tag, value in (("source", doc[4]), ("url", doc[5]), ("published", doc[6])):
                    if value:
                        etree.SubElement(d, tag).text = value
                if doc[7] != "{}":
                    holder = etree.SubElement(d, "metadata")
                    for key, value in loads(doc[7]).items():
                        member(holder, value, key)
                etree.SubElement(d, "text", {SPACE: "preserve"}).text = doc[3]
                holder = etree.SubElement(d, "spans")
                for s in spans:
                    node = etree.SubElement(holder, "span", {
                        "uid": s[1], "annotator": names[s[2]], "layer": s[3], "label": s[4],
                        "start": str(s[5]), "end": str(s[6]), "created-at": s[11],
                        "updated-at": s[12]})
                    fragments = loads(s[7])
                    if len(fragments) > 1:
                        for a, b in fragments:
                            etree.SubElement(node, "fragment", start=str(a), end=str(b))
                    etree.SubElement(node, "text").text = s[8]
                    attributes(node, s[9])
                    if s[10]:
                        etree.SubElement(node, "note").text = s[10]
                holder = etree.SubElement(d, "relations")
                for r in relations:
                    node = etree.SubElement(holder, "relation", {
                        "uid": r[0], "annotator": names[r[1]], "type": r[2],
                        "source": uids[r[3]], "target": uids[r[4]]})
                    attributes(node, r[5])
                holder = etree.SubElement(d, "statuses")
                for a, st, at in statuses:
                    etree.SubElement(holder, "status", {"annotator": names[a], "status": st,
                                                        "updated-at": at})
                xf.write(d, pretty_print=True)
        xf.write("\n")
"""


# Peak RSS as the child itself saw it: VmHWM is per process image and starts afresh at
# exec, whereas ru_maxrss from wait4 inherits the (larger) parent's high-water mark.
PEAK = r"""
import resource
def _peak_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"peak-mb {_peak_mb():.1f}")
"""


def run_child(code: str, *args: str) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one child process."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code + PEAK, *args], cwd=HERE.parent,
                          stdout=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"child failed with status {done.returncode}")
    return elapsed, float(done.stdout.rsplit("peak-mb ", 1)[1])


def body_digest(path: Path, fmt: str) -> str:
    """A hash of the documents part only (headers differ: schema, export time)."""
    data = path.read_bytes()
    start = data.index(b"\n") + 1 if fmt == "jsonl" else data.index(b"<documents>")
    return hashlib.sha256(data[start:]).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=0,
                        help="articles (default: one per 100 spans)")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    from export_corpus import build_project

    documents = args.documents or max(1, args.spans // 100)
    project = OUT / f"export-{args.spans}-{documents}.annotator"
    if not project.exists():
        print(f"generating {documents:,} articles with {args.spans:,} spans → {project}")
        started = time.perf_counter()
        build_project(project, documents, args.spans)
        print(f"  generated in {time.perf_counter() - started:.1f} s")
    print(f"project: {project.stat().st_size / 1e6:.0f} MB, {documents:,} articles, "
          f"{args.spans:,} spans")
    for fmt, raw_code in (("jsonl", RAW_JSONL), ("xml", RAW_XML)):
        ours_out, raw_out = OUT / f"export-ours.{fmt}", OUT / f"export-raw.{fmt}"
        ours_runs, raw_runs = [], []
        for _ in range(args.repeat):  # interleaved, so machine noise hits both sides alike
            raw_runs.append(run_child(raw_code, str(project), str(raw_out)))
            ours_runs.append(run_child(OURS, str(project), str(ours_out), fmt))
        same = body_digest(ours_out, fmt) == body_digest(raw_out, fmt)
        raw = statistics.median(t for t, _ in raw_runs)
        ours = statistics.median(t for t, _ in ours_runs)
        print(f"\n{fmt}: {ours_out.stat().st_size / 1e6:,.0f} MB written; documents part "
              f"{'identical to' if same else 'DIFFERENT from'} the raw baseline's")
        raw_peak, ours_peak = max(m for _, m in raw_runs), max(m for _, m in ours_runs)
        print(f"  raw SELECT + serialize: {raw:6.2f} s, peak RSS {raw_peak:4.0f} MB")
        print(f"  annotator export:       {ours:6.2f} s, peak RSS {ours_peak:4.0f} MB"
              f"  (target < 300 MB)")
        print(f"  ratio ours / raw: {ours / raw:.2f}  (target ≤ 2)")


if __name__ == "__main__":
    main()
