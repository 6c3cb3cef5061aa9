//! A diagram as GraphML, which Gephi and yEd open: one `<node>` per entity (id: the entity id;
//! `label`: its name) and one `<edge>` per fact and pair, with the fact's id, kind, dates,
//! certainty and change as data. Written with quick-xml, which escapes every value, element by
//! element.

use std::borrow::Cow;
use std::io::Write;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesStart, BytesText, Event};

use crate::query::export::{Diagram, View};

/// A string XML 1.0 can hold: control characters other than tab and line ends become spaces
/// (the text itself when it has none).
pub fn xml_chars(text: &str) -> Cow<'_, str> {
    let bad = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    // Control characters are below 0x20, 0x7f, or start with 0xc2 in UTF-8: a text without
    // those bytes (most) needs no look at its characters.
    let plain = text.bytes().all(|b| b >= 0x20 && b != 0x7f && b != 0xc2);
    if plain || !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| if bad(c) { ' ' } else { c }).collect())
}

/// The data keys: (id, for, attr.name, attr.type).
const KEYS: [(&str, &str, &str, &str); 15] = [
    ("g_title", "graph", "title", "string"),
    ("n_label", "node", "label", "string"),
    ("n_kind", "node", "kind", "string"),
    ("n_org_kind", "node", "org_kind", "string"),
    ("n_focus", "node", "focus", "boolean"),
    ("n_depth", "node", "depth", "int"),
    ("e_label", "edge", "label", "string"),
    ("e_kind", "edge", "kind", "string"),
    ("e_fact_kind", "edge", "fact_kind", "string"),
    ("e_start", "edge", "start", "string"),
    ("e_end", "edge", "end", "string"),
    ("e_point", "edge", "point", "boolean"),
    ("e_certainty", "edge", "certainty", "string"),
    ("e_status", "edge", "status", "string"),
    ("e_title", "edge", "title", "string"),
];

/// A `<data key="...">` start tag, built once and written again and again.
struct Data(BytesStart<'static>);

impl Data {
    fn new(key: &'static str) -> Data {
        Data(BytesStart::new("data").with_attributes([("key", key)]))
    }

    /// Writes `<data key="...">value</data>`, as `create_element(..).write_text_content(..)`
    /// writes it.
    fn write<W: Write>(&self, w: &mut Writer<W>, value: &str) -> std::io::Result<()> {
        w.write_event(Event::Start(self.0.borrow()))?;
        w.write_event(Event::Text(BytesText::new(&xml_chars(value))))?;
        w.write_event(Event::End(self.0.to_end()))
    }
}

/// An element with content, written as `create_element(..).write_inner_content(..)` writes it,
/// its start tag's buffer used again for the next.
fn element<W: Write>(
    w: &mut Writer<W>,
    tag: &mut BytesStart<'static>,
    attrs: &[(&str, &str)],
    inner: impl FnOnce(&mut Writer<W>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    tag.clear_attributes();
    for &a in attrs {
        tag.push_attribute(a);
    }
    w.write_event(Event::Start(tag.borrow()))?;
    inner(w)?;
    w.write_event(Event::End(tag.to_end()))
}

/// A boolean as GraphML writes it.
fn flag(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// Writes GraphML of the diagram, ending in a newline, to `out`.
pub fn write_graphml<W: Write>(out: W, v: &impl View) -> std::io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let [n_label, n_kind, n_org_kind, n_focus, n_depth] =
        ["n_label", "n_kind", "n_org_kind", "n_focus", "n_depth"].map(Data::new);
    let [
        e_label,
        e_kind,
        e_fact_kind,
        e_start,
        e_end,
        e_point,
        e_certainty,
        e_status,
        e_title,
    ] = [
        "e_label",
        "e_kind",
        "e_fact_kind",
        "e_start",
        "e_end",
        "e_point",
        "e_certainty",
        "e_status",
        "e_title",
    ]
    .map(Data::new);
    let (mut node, mut edge) = (BytesStart::new("node"), BytesStart::new("edge"));
    let mut text = String::new();
    let mut put = |w: &mut Writer<W>, data: &Data, value: &dyn std::fmt::Display| {
        use std::fmt::Write;
        text.clear();
        let _ = write!(text, "{value}");
        data.write(w, &text)
    };
    w.create_element("graphml")
        .with_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"))
        .with_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"))
        .with_attribute((
            "xsi:schemaLocation",
            "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
        ))
        .write_inner_content(|w| {
            for (id, on, name, ty) in KEYS {
                w.create_element("key")
                    .with_attribute(("id", id))
                    .with_attribute(("for", on))
                    .with_attribute(("attr.name", name))
                    .with_attribute(("attr.type", ty))
                    .write_empty()?;
            }
            w.create_element("graph")
                .with_attribute(("id", "dipgraph"))
                .with_attribute(("edgedefault", "directed"))
                .write_inner_content(|w| {
                    Data::new("g_title").write(w, v.head().title)?;
                    for n in v.nodes() {
                        element(w, &mut node, &[("id", &xml_chars(&n.id))], |w| {
                            n_label.write(w, &n.name)?;
                            n_kind.write(w, n.kind.as_str())?;
                            if let Some(k) = n.org_kind {
                                n_org_kind.write(w, k.as_str())?;
                            }
                            n_focus.write(w, flag(n.focus))?;
                            if let Some(d) = n.depth {
                                put(w, &n_depth, &d)?;
                            }
                            Ok(())
                        })?;
                    }
                    for e in v.edges() {
                        let id = e.id.to_string();
                        let attrs = [
                            ("id", &*xml_chars(&id)),
                            ("source", &*xml_chars(e.from)),
                            ("target", &*xml_chars(e.to)),
                            ("directed", flag(e.directed)),
                        ];
                        element(w, &mut edge, &attrs, |w| {
                            e_label.write(w, e.fact)?;
                            e_kind.write(w, e.kind.as_str())?;
                            e_fact_kind.write(w, e.fact_kind.as_str())?;
                            if let Some(d) = e.start {
                                put(w, &e_start, &d)?;
                            }
                            if let Some(d) = e.end {
                                put(w, &e_end, &d)?;
                            }
                            e_point.write(w, flag(e.point))?;
                            if let Some(c) = e.certainty {
                                put(w, &e_certainty, &c)?;
                            }
                            if let Some(s) = e.status {
                                e_status.write(w, s.as_str())?;
                            }
                            e_title.write(w, e.title)
                        })?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    w.into_inner().write_all(b"\n")
}

/// GraphML text of the diagram (see [`write_graphml`]).
pub fn to_graphml(dg: &Diagram) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    write_graphml(&mut bytes, dg)?;
    String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}
