"""Lossless formats: export → import into an empty project → export gives the same bytes
(bar the export time), for random projects full of awkward text; every export validates
against the schema we publish for it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from news_annotator.importing import import_paths
from news_annotator.project import Project
from tests.formats.native_helpers import (
    FORMATS,
    SUFFIX,
    build,
    export,
    project_plans,
    validate,
)

ROUND_TRIP = settings(max_examples=40, deadline=None,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@ROUND_TRIP
@given(plan=project_plans())
def test_every_lossless_format_round_trips_exactly(plan):
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        original = build(plan, tmp / "original.annotator")
        try:
            reference = export(original, "json", tmp / "reference.json")
            for fmt in FORMATS:
                first = tmp / f"first{SUFFIX[fmt]}"
                exported = export(original, fmt, first)
                validate(fmt, first)
                with Project.create(tmp / f"copy-{fmt}.annotator") as copy:
                    report = import_paths(copy, [first], format_name=fmt)
                    assert report.documents_added == len(plan.documents)
                    assert export(copy, fmt, tmp / f"second{SUFFIX[fmt]}") == exported
                    # and the copy holds what the original holds, seen through our JSON
                    assert export(copy, "json", tmp / f"check-{fmt}.json") == reference
                    assert copy.stats() == original.stats()
        finally:
            original.close()


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_is_detected_from_the_file(fmt, demo_project, tmp_path):
    path = tmp_path / f"demo{SUFFIX[fmt]}"
    export(demo_project, fmt, path)
    with Project.create(tmp_path / "copy.annotator") as copy:
        report = import_paths(copy, [path])
        assert report.documents_added == demo_project.documents.count()
        again = import_paths(copy, [path])
        assert (again.documents_added, again.spans_added, again.relations_added) == (0, 0, 0)


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_of_one_annotator_keeps_only_their_work(fmt, demo_project, tmp_path):
    from news_annotator.formats import get_format

    doc = demo_project.documents.ids()[0]
    alice, bob = demo_project.annotator("alice"), demo_project.annotator("bob")
    a = demo_project.add_span(doc, alice.id, "PERSON", [(0, 4)])
    b = demo_project.add_span(doc, alice.id, "DIRECT", [(5, 9)])
    demo_project.add_relation("source", b.id, a.id)
    demo_project.add_span(doc, bob.id, "ORG", [(0, 7)])
    path = tmp_path / f"bob{SUFFIX[fmt]}"
    get_format(fmt).module.write(demo_project, path, annotators=["bob"])
    validate(fmt, path)
    with Project.create(tmp_path / "copy.annotator") as copy:
        report = import_paths(copy, [path], format_name=fmt)
        assert (report.spans_added, report.relations_added) == (1, 0)
        assert [x.name for x in copy.annotators.all()] == ["bob"]


@pytest.mark.parametrize("fmt", [*FORMATS, "csv"])
def test_writers_report_progress_a_document_at_a_time(fmt, demo_project, tmp_path):
    from news_annotator.formats import get_format

    seen: list[int] = []
    count = get_format(fmt).module.write(demo_project, tmp_path / f"out.{fmt}",
                                         progress=seen.append)
    assert count == demo_project.documents.count()
    assert seen == list(range(1, count + 1))
