"""UIMA CAS XMI as INCEpTION writes it, read and written with dkpro-cassis.

Input: an ``.xmi`` file with its type system beside it (``TypeSystem.xml`` or
``typesystem.xml``; else the one ``*typesystem*.xml`` whose name best matches the
file's), or a zip (INCEpTION's "UIMA CAS XMI" export) holding ``.xmi`` files and a
``TypeSystem.xml``. What becomes what:
- DKPro ``NamedEntity`` (and subtypes) -> a span in the ``entity`` layer labelled with
  ``value`` (else the subtype's name, else ``OTHER``);
- a custom span layer ``webanno.custom.Quote`` -> a span in layer ``quote``, labelled
  with its ``label`` feature (else ``value``, else its first text feature); its other
  primitive features become attributes;
- a type with ``Governor`` and ``Dependent`` whose ends are both such spans -> a
  relation typed by its ``type`` (else ``label``/``value``/first text feature, else the
  type's name); dependency arcs between tokens and everything else are left out.
XMI counts offsets in UTF-16 units; cassis converts them to code points, and an offset
that falls inside a surrogate pair or past the text is refused. Parsing never loads a
DTD, resolves an entity or touches the network: a file with a DOCTYPE is refused.
"""

from news_annotator.formats.xmi.reader import read, read_folder, sniff
from news_annotator.formats.xmi.writer import write

__all__ = ["read", "read_folder", "sniff", "write"]
