"""Hostile files: entities that point at local files or the network, and no network use."""

from __future__ import annotations

import socket

import pytest

from news_annotator.errors import InputError
from news_annotator.importing import import_paths

SECRET = "top-secret-value-41"
PARAGRAPH = ("<p>The council said that spending rose by four per cent, according to "
             "figures released on Tuesday by the finance office of the harbour city.</p>")


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("a reader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_html_external_entity_is_not_resolved(project, tmp_path, secret_file, no_network):
    page = tmp_path / "page.html"
    page.write_text(f"""<!DOCTYPE html [
      <!ENTITY xxe SYSTEM "{secret_file.as_uri()}">
      <!ENTITY remote SYSTEM "http://example.invalid/dtd">]>
    <html><head><title>Harbour budget</title></head><body><article>
    <h1>Harbour budget</h1><p>&xxe; &remote;</p>{PARAGRAPH * 6}</article></body></html>""")
    try:
        import_paths(project, [page])
    except InputError:
        return  # refusing the page is fine too
    text = project.documents.get(project.documents.ids()[0]).text
    assert SECRET not in text


@pytest.mark.parametrize("suffix", [".xml", ".xmi"])
def test_xml_readers_refuse_entities_without_network(project, tmp_path, secret_file,
                                                     no_network, suffix):
    path = tmp_path / f"evil{suffix}"
    path.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE project [<!ENTITY xxe SYSTEM "{secret_file.as_uri()}">
<!ENTITY % dtd SYSTEM "http://example.invalid/evil.dtd"> %dtd;]>
<project><documents><document uid="a"><text>&xxe;</text></document></documents></project>""")
    with pytest.raises(InputError):
        import_paths(project, [path], format_name=suffix[1:])
    assert project.documents.count() == 0


def test_entity_expansion_bomb_is_refused_quickly(project, tmp_path):
    import time

    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    path = tmp_path / "bomb.xml"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e0 "lol">{entities}]>'
                    '<project><documents><document uid="a"><text>&e9;</text>'
                    '</document></documents></project>')
    started = time.perf_counter()
    with pytest.raises(InputError):
        import_paths(project, [path], format_name="xml")
    assert time.perf_counter() - started < 2.0
