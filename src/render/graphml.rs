//! A diagram as GraphML, which Gephi and yEd open: one `<node>` per entity (id: the entity id;
//! `label`: its name) and one `<edge>` per fact and pair, with the fact's id, kind, dates,
//! certainty and change as data. Written with quick-xml, which escapes every value.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::query::export::Diagram;

/// A string XML 1.0 can hold: control characters other than tab and line ends become spaces.
pub fn xml_chars(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect()
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

type W = Writer<Vec<u8>>;

fn data(w: &mut W, key: &str, value: &str) -> std::io::Result<()> {
    w.create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::new(&xml_chars(value)))?;
    Ok(())
}

/// GraphML text of the diagram, ending in a newline.
pub fn to_graphml(dg: &Diagram) -> std::io::Result<String> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
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
                    data(w, "g_title", &dg.title)?;
                    for n in &dg.nodes {
                        w.create_element("node")
                            .with_attribute(("id", xml_chars(&n.id).as_str()))
                            .write_inner_content(|w| {
                                data(w, "n_label", &n.name)?;
                                data(w, "n_kind", n.kind.as_str())?;
                                if let Some(k) = n.org_kind {
                                    data(w, "n_org_kind", k.as_str())?;
                                }
                                data(w, "n_focus", if n.focus { "true" } else { "false" })?;
                                if let Some(d) = n.depth {
                                    data(w, "n_depth", &d.to_string())?;
                                }
                                Ok(())
                            })?;
                    }
                    for e in &dg.edges {
                        w.create_element("edge")
                            .with_attribute(("id", xml_chars(&e.id).as_str()))
                            .with_attribute(("source", xml_chars(&e.from).as_str()))
                            .with_attribute(("target", xml_chars(&e.to).as_str()))
                            .with_attribute(("directed", if e.directed { "true" } else { "false" }))
                            .write_inner_content(|w| {
                                data(w, "e_label", &e.fact)?;
                                data(w, "e_kind", e.kind.as_str())?;
                                data(w, "e_fact_kind", e.fact_kind.as_str())?;
                                if let Some(d) = e.start {
                                    data(w, "e_start", &d.to_string())?;
                                }
                                if let Some(d) = e.end {
                                    data(w, "e_end", &d.to_string())?;
                                }
                                data(w, "e_point", if e.point { "true" } else { "false" })?;
                                if let Some(c) = e.certainty {
                                    data(w, "e_certainty", &c.to_string())?;
                                }
                                if let Some(s) = e.status {
                                    data(w, "e_status", s.as_str())?;
                                }
                                data(w, "e_title", &e.title)?;
                                Ok(())
                            })?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    let mut text = String::from_utf8(w.into_inner())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    text.push('\n');
    Ok(text)
}
