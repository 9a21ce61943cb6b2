"""A small element tree with line numbers, read through defusedxml's SAX parser (no entity expansion, no external
DTD or entity fetched): ElementTree does not keep where an element was, and every problem must say its line."""

import io
from dataclasses import dataclass, field
from xml.sax import SAXException
from xml.sax.handler import ContentHandler, feature_namespaces

from defusedxml import DefusedXmlException
from defusedxml.sax import make_parser


class NotXml(ValueError):
    pass


@dataclass
class Node:
    tag: str
    line: int
    children: list["Node"] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()

    def all(self, tag: str) -> list["Node"]:
        return [child for child in self.children if child.tag == tag]

    def first(self, tag: str) -> "Node | None":
        return next((child for child in self.children if child.tag == tag), None)

    def get(self, tag: str, default: str = "") -> str:
        child = self.first(tag)
        return child.text if child is not None else default


class _Builder(ContentHandler):
    def __init__(self):
        super().__init__()
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.namespace = ""

    def setDocumentLocator(self, locator):  # SAX's names
        self.locator = locator

    def startElementNS(self, name, qname, attrs):
        uri, local = name
        node = Node(local, self.locator.getLineNumber())
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root, self.namespace = node, uri or ""
        self.stack.append(node)

    def endElementNS(self, name, qname):
        self.stack.pop()

    def characters(self, content):
        if self.stack:
            self.stack[-1].parts.append(content)


def parse(data: bytes) -> tuple[str, Node]:
    """(namespace of the root, root node); NotXml with a message for a file that is not well-formed, safe XML."""
    builder = _Builder()
    parser = make_parser()
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(builder)
    try:
        parser.parse(io.BytesIO(data))
    except DefusedXmlException:
        raise NotXml("The XML file declares entities or a DTD, which PIT refuses for safety.") from None
    except SAXException as error:
        line = getattr(error, "getLineNumber", lambda: "?")()
        raise NotXml(f"The XML file is not well-formed (line {line}): {error.getMessage()}.") from None
    return builder.namespace, builder.root
