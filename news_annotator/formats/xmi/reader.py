"""Reading UIMA CAS XMI with dkpro-cassis: a file with its type system beside it, a
folder of them, or INCEpTION's zip export."""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from cassis import TypeSystem, load_cas_from_xmi, load_typesystem
from cassis.typesystem import Feature, Type
from lxml import etree

from news_annotator.errors import InputError
from news_annotator.formats.common.archive import SafeZip, is_zip
from news_annotator.formats.common.records import (
    AnnotatedDocument,
    ReadOptions,
    RelationRecord,
    SpanRecord,
)
from news_annotator.formats.xmi.types import (
    ANNOTATION,
    COLLECTION_ID,
    CUSTOM_PREFIX,
    DOCUMENT_META,
    ENTITY_LAYER,
    LABEL_MARK,
    LAYER_MARK,
    NAMED_ENTITY,
    RELATION_MARK,
    logical_feature_name,
)
from news_annotator.model import NewDocument

_SKIPPED_FEATURES = {"sofa", "begin", "end"}


class _BadDocument(Exception):
    """A document-level problem: reported as an InputError the import may skip."""

    def __init__(self, reason: str, record: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.record = record


# -- finding files ------------------------------------------------------------------


def sniff(path: Path) -> bool:
    """XMI files, zips holding XMI, and type system files (read as nothing); never raises."""
    try:
        suffix = path.suffix.lower()
        if suffix == ".xmi":
            return True
        if suffix == ".zip" and is_zip(path):
            with SafeZip(path) as archive:
                return any(name.lower().endswith(".xmi") for name in archive.members)
        if suffix == ".xml" and "typesystem" in path.name.lower():
            with path.open("rb") as handle:
                return b"<typeSystemDescription" in handle.read(4096)
    except Exception:  # sniffing must never fail, whatever the file holds
        return False
    return False


def read_folder(path: Path, options: ReadOptions) -> Iterator[AnnotatedDocument | InputError]:
    """Every .xmi file and XMI zip under a folder, in name order."""
    for entry in sorted(path.rglob("*")):
        if entry.is_file() and not any(part.startswith(".")
                                       for part in entry.relative_to(path).parts) \
                and entry.suffix.lower() in (".xmi", ".zip"):
            yield from read(entry, options)


def read(path: Path, options: ReadOptions) -> Iterator[AnnotatedDocument | InputError]:
    """The documents of an .xmi file or an XMI zip; a type system file yields nothing."""
    if path.suffix.lower() == ".xml":
        _typesystem_from_bytes(_read_bytes(path), str(path))  # a companion: check it only
        return
    if is_zip(path):
        yield from _read_zip(path, options)
        return
    typesystem = _cached_typesystem(_typesystem_beside(path))
    yield _document(_read_bytes(path), typesystem, str(path), path, None, options)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(path, f"cannot read ({error.strerror})") from error


def _typesystem_beside(path: Path) -> Path:
    folder = path.parent
    try:
        stamp = folder.stat().st_mtime_ns
    except OSError as error:
        raise InputError(path, f"cannot read its folder ({error.strerror})") from error
    candidates = _typesystem_candidates(str(folder), stamp)
    for candidate in candidates:
        if candidate.lower() == "typesystem.xml":
            return folder / candidate
    stem = path.stem.lower()
    scored = sorted(((len(os.path.commonprefix([stem, c.lower()])), c) for c in candidates),
                    reverse=True)
    if len(scored) == 1 or (len(scored) > 1 and scored[0][0] > scored[1][0]):
        return folder / scored[0][1]
    if not scored:
        raise InputError(path, "no type system beside it: put the TypeSystem.xml that came "
                         "with it in the same folder")
    raise InputError(path, "several type systems beside it ("
                     + ", ".join(c for _, c in scored) + "); name the right one TypeSystem.xml")


@functools.lru_cache(maxsize=32)
def _typesystem_candidates(folder: str, stamp: int) -> tuple[str, ...]:
    return tuple(sorted(entry.name for entry in os.scandir(folder) if entry.is_file()
                        and entry.name.lower().endswith(".xml")
                        and "typesystem" in entry.name.lower()))


def _cached_typesystem(path: Path) -> TypeSystem:
    try:
        info = path.stat()
    except OSError as error:
        raise InputError(path, f"cannot read ({error.strerror})") from error
    return _typesystem_at(str(path), info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=8)
def _typesystem_at(path: str, stamp: int, size: int) -> TypeSystem:
    return _typesystem_from_bytes(_read_bytes(Path(path)), path)


def _read_zip(path: Path, options: ReadOptions) -> Iterator[AnnotatedDocument | InputError]:
    with SafeZip(path) as archive:
        names = sorted(archive.members)
        documents = [n for n in names if n.lower().endswith(".xmi")
                     and not n.startswith("__MACOSX/")]
        systems = [n for n in names if n.lower().endswith(".xml")
                   and "typesystem" in PurePosixPath(n).name.lower()]
        if not documents:
            raise InputError(path, "the zip holds no .xmi file")
        loaded: dict[str, TypeSystem] = {}
        for name in documents:
            chosen = _zip_typesystem(path, name, systems)
            if chosen not in loaded:
                loaded[chosen] = _typesystem_from_bytes(archive.read(chosen), f"{path}:{chosen}")
            yield _document(archive.read(name), loaded[chosen], f"{path} ({name})", path, name,
                            options)


def _zip_typesystem(path: Path, member: str, systems: list[str]) -> str:
    folder = PurePosixPath(member).parent
    beside = [s for s in systems if PurePosixPath(s).parent == folder]
    exact = [s for s in beside if PurePosixPath(s).name.lower() == "typesystem.xml"]
    for group in (exact, beside, systems):
        if len(group) == 1:
            return group[0]
    if not systems:
        raise InputError(path, "the zip holds no TypeSystem.xml")
    raise InputError(path, f"several type systems could belong to {member!r}: "
                     + ", ".join(systems))


# -- parsing safely ------------------------------------------------------------------


def _check_xml(data: bytes, where: str, *, record: str | None = None) -> None:
    """Parse once with a parser that loads no DTD and resolves nothing; refuse DOCTYPEs."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        tree = etree.parse(io.BytesIO(data), parser)
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else None
        raise InputError(where, f"not well-formed XML ({error.msg})", line=line,
                         record=record) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise InputError(where, "has a DOCTYPE; XMI and type systems never need one, and "
                         "we do not load DTDs or entities", record=record)


def _typesystem_from_bytes(data: bytes, where: str) -> TypeSystem:
    _check_xml(data, where)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_typesystem(io.BytesIO(data))
    except Exception as error:  # cassis raises many kinds; all mean "not a type system"
        raise InputError(where, f"not a UIMA type system ({type(error).__name__}: "
                         f"{str(error)[:200]})") from None


def _document(data: bytes, typesystem: TypeSystem, where: str, path: Path,
              member: str | None, options: ReadOptions) -> AnnotatedDocument | InputError:
    """One CAS as a document; a broken zip member comes back as an InputError, a broken
    .xmi file is raised (the file is the document)."""
    try:
        cas, caught = _load_cas(data, typesystem, path, member)
    except InputError as error:
        if member is None:
            raise
        return error
    try:
        bad_offsets = [str(w.message) for w in caught
                       if "Not mapping external offset" in str(w.message)]
        if bad_offsets:
            offset = re.search(r"\[(-?\d+)\]", bad_offsets[0])
            raise _BadDocument(f"annotation offset {offset.group(1) if offset else '?'} (in "
                               "UTF-16 units) is not a position in the text: past its end or "
                               "between the two halves of a character")
        stem = PurePosixPath(member).stem if member else path.stem
        return _annotated(cas, where, stem, options)
    except _BadDocument as problem:
        record = f"{member} {problem.record}" if member and problem.record else (
            member or problem.record)
        return InputError(path, problem.reason, record=record)


def _load_cas(data: bytes, typesystem: TypeSystem, path: Path, member: str | None
              ) -> tuple[Any, list[warnings.WarningMessage]]:
    _check_xml(data, str(path), record=member)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            cas = load_cas_from_xmi(io.BytesIO(data), typesystem=typesystem)
        except Exception as error:  # cassis raises many kinds; all mean "not this XMI"
            raise InputError(path, f"not a CAS XMI this type system can read "
                             f"({type(error).__name__}: {str(error)[:200]})",
                             record=member) from None
    return cas, list(caught)


# -- from a CAS to our records -------------------------------------------------------


def _annotated(cas: Any, where: str, stem: str, options: ReadOptions) -> AnnotatedDocument:
    text = cas.sofa_string
    if not isinstance(text, str) or not text:
        raise _BadDocument("no document text (empty sofa)")
    typesystem = cas.typesystem
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    annotator = options.annotator
    spans: list[SpanRecord] = []
    span_uids: dict[int, str] = {}
    links: list[Any] = []
    has_entities = typesystem.contains_type(NAMED_ENTITY)
    for fs in cas.select(ANNOTATION):
        kind = fs.type
        if kind.get_feature("Governor") is not None and kind.get_feature("Dependent") is not None:
            links.append(fs)
            continue
        if has_entities and typesystem.subsumes(NAMED_ENTITY, kind):
            layer, label, skip = ENTITY_LAYER, _entity_label(fs), {"value"}
        elif kind.name.startswith(CUSTOM_PREFIX) and kind.get_feature("next") is None:
            layer = _layer_name(kind)
            label_feature = _label_feature(kind)
            label = _text_value(fs, label_feature) or kind.short_name.upper()
            skip = {label_feature.name} if label_feature else set()
        else:
            continue
        start, end = _bounds(fs, len(text))
        uid = _uid("span", digest, annotator, layer, label, str(start), str(end))
        span_uids[fs.xmiID] = uid
        spans.append(SpanRecord(uid=uid, annotator=annotator, label=label, layer=layer,
                                fragments=((start, end),), attributes=_attributes(fs, skip)))
    relations = [record for fs in links
                 if (record := _relation(fs, span_uids, digest, annotator)) is not None]
    title, uid, url = _metadata(cas, typesystem, stem)
    document = NewDocument(text=text, title=title, uid=uid, url=url, source=stem,
                           metadata={"file": stem})
    return AnnotatedDocument(document, spans, relations, where=where)


def _bounds(fs: Any, length: int) -> tuple[int, int]:
    start, end = fs.begin, fs.end
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length):
        raise _BadDocument(f"annotation {fs.type.short_name} at {start}..{end} is empty or "
                           f"outside the text (length {length})", record=f"xmi:id {fs.xmiID}")
    return start, end


def _entity_label(fs: Any) -> str:
    value = _text_value(fs, fs.type.get_feature("value"))
    if value:
        return value
    if fs.type.name != NAMED_ENTITY:
        return fs.type.short_name.upper()
    return "OTHER"


def _layer_name(kind: Type) -> str:
    if kind.description and kind.description.startswith(LAYER_MARK):
        return kind.description[len(LAYER_MARK):]
    return kind.short_name.lower()


def _text_features(kind: Type) -> list[Feature]:
    return [f for f in kind.all_features if f.rangeType.name == "uima.cas.String"
            and f.name not in _SKIPPED_FEATURES]


def _label_feature(kind: Type, marks: tuple[str, ...] = (LABEL_MARK,),
                   names: tuple[str, ...] = ("label", "value")) -> Feature | None:
    features = _text_features(kind)
    for feature in features:
        if feature.description in marks:
            return feature
    for name in names:
        for feature in features:
            if logical_feature_name(feature) == name:
                return feature
    return features[0] if features else None


def _text_value(fs: Any, feature: Feature | None) -> str:
    if feature is None:
        return ""
    value = getattr(fs, feature.name, None)
    return value.strip() if isinstance(value, str) else ""


def _attributes(fs: Any, skip: set[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for feature in fs.type.all_features:
        if feature.name in _SKIPPED_FEATURES or feature.name in skip:
            continue
        value = getattr(fs, feature.name, None)
        if isinstance(value, (str, bool, int, float)):
            found[logical_feature_name(feature)] = value
    return found


def _relation(fs: Any, span_uids: dict[int, str], digest: str,
              annotator: str) -> RelationRecord | None:
    governor, dependent = fs.get("Governor"), fs.get("Dependent")
    source = span_uids.get(getattr(governor, "xmiID", None))  # type: ignore[arg-type]
    target = span_uids.get(getattr(dependent, "xmiID", None))  # type: ignore[arg-type]
    if source is None or target is None:
        return None  # an arc between tokens (syntax) or to a layer we do not read
    type_feature = _label_feature(fs.type, (RELATION_MARK,), ("type", "label", "value"))
    relation_type = _text_value(fs, type_feature) or fs.type.short_name.lower()
    skip = {"Governor", "Dependent"} | ({type_feature.name} if type_feature else set())
    return RelationRecord(uid=_uid("relation", digest, annotator, relation_type, source, target),
                          annotator=annotator, type=relation_type, source=source, target=target,
                          attributes=_attributes(fs, skip))


def _metadata(cas: Any, typesystem: TypeSystem, stem: str) -> tuple[str, str, str]:
    """Title, uid and url: the uid and url only from files we wrote ourselves."""
    if not typesystem.contains_type(DOCUMENT_META):
        return stem, "", ""
    for meta in cas.select(DOCUMENT_META):
        title = getattr(meta, "documentTitle", None) or stem
        if getattr(meta, "collectionId", None) == COLLECTION_ID:
            return title, getattr(meta, "documentId", None) or "", \
                getattr(meta, "documentUri", None) or ""
        return title, "", ""
    return stem, "", ""


def _uid(*parts: str) -> str:
    return hashlib.sha256("|".join(("xmi", *parts)).encode("utf-8")).hexdigest()[:32]
