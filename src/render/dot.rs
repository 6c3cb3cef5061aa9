//! A diagram as Graphviz DOT, built as graphviz-rust's syntax tree and printed by its printer.
//!
//! graphviz-rust escapes nothing: an `Id::Escaped` is printed as given. So every id, label,
//! tooltip and attribute value, whether it comes from the data or not, goes through [`quote`],
//! the one quoting helper, and only attribute names (constants) are written plain. The graph is
//! never `strict` (a strict graph merges parallel edges). It is printed statement by statement,
//! as graphviz-rust prints a whole graph, so that a large one is never held as one tree or text.

use std::collections::HashSet;
use std::io::Write;

use graphviz_rust::dot_structures::{
    Attribute, Edge as DotEdge, EdgeTy, Graph, GraphAttributes, Id, Node as DotNode, NodeId, Stmt,
    Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::style::{self, FONT, Legend};
use crate::model::EntityKind;
use crate::query::export::{Diagram, Hub, Line, Node, Parallel, Picture};

/// The one quoting helper: `text` as a DOT double-quoted string that Graphviz and
/// graphviz-rust's parser read back as exactly `text`.
///
/// `"` and `\` are escaped with a backslash (so no name can close the string, and label
/// escapes such as `\N` or `\l` show as written); a line break becomes `\n` (a centred line
/// break in a label); `&` becomes `&amp;` (Graphviz decodes HTML entities in plain labels, so
/// `&lt;` would otherwise show as `<`); other control characters become spaces.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    // Control characters are below 0x20, 0x7f, or start with 0xc2 in UTF-8: a text without
    // those bytes nor `"`, `\` and `&` (most) is written as it is.
    if text
        .bytes()
        .all(|b| b >= 0x20 && !matches!(b, b'"' | b'\\' | b'&' | 0x7f | 0xc2))
    {
        out.push_str(text);
        out.push('"');
        return out;
    }
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Reads back a string written by [`quote`] (`None` when it is not one).
pub fn unquote(quoted: &str) -> Option<String> {
    let inner = quoted.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                'n' => out.push('\n'),
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out.replace("&amp;", "&"))
}

/// An id or value, through [`quote`].
fn id(text: &str) -> Id {
    Id::Escaped(quote(text))
}

/// `name=value`, the value quoted.
fn attr(name: &'static str, value: &str) -> Attribute {
    Attribute(Id::Plain(name.to_string()), id(value))
}

fn node_id(text: &str) -> NodeId {
    NodeId(id(text), None)
}

fn edge(from: &str, to: &str, attributes: Vec<Attribute>) -> Stmt {
    Stmt::Edge(DotEdge {
        ty: EdgeTy::Pair(Vertex::N(node_id(from)), Vertex::N(node_id(to))),
        attributes,
    })
}

fn num(x: f32) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The look of an entity kind, as node attributes.
fn kind_attrs(kind: EntityKind) -> Vec<Attribute> {
    let s = style::node(kind);
    vec![
        attr("shape", s.shape),
        attr(
            "style",
            if s.rounded {
                "filled,rounded"
            } else {
                "filled"
            },
        ),
        attr("fillcolor", s.fill),
        attr("color", s.stroke),
    ]
}

fn entity(n: &Node) -> Stmt {
    let mut attrs = vec![attr("label", &n.name)];
    attrs.extend(kind_attrs(n.kind));
    if n.focus {
        attrs.push(attr("penwidth", &num(style::FOCUS_WIDTH)));
    }
    attrs.push(attr(
        "tooltip",
        &format!("{} ({}), {}", n.name, n.id, style::node(n.kind).legend),
    ));
    Stmt::Node(DotNode::new(node_id(&n.id), attrs))
}

fn hub(h: &Hub) -> Stmt {
    let color = style::link(h.kind).color;
    let (width, dash) = style::hub(h);
    let attrs = vec![
        attr("label", &h.title),
        attr("shape", style::HUB_SHAPE),
        attr("style", &format!("filled,{}", dash.as_str())),
        attr("fillcolor", "white"),
        attr("color", color),
        attr("fontcolor", style::HUB_TEXT),
        attr("fontsize", "9"),
        attr("penwidth", &num(width)),
        attr("tooltip", &format!("{}: {}: {}", h.kind, h.id, h.title)),
    ];
    Stmt::Node(DotNode::new(node_id(&h.id), attrs))
}

fn line_attrs(line: &Line, each: bool) -> Vec<Attribute> {
    let s = style::stroke(line, each);
    let mut attrs = vec![
        attr("color", &s.color),
        attr("penwidth", &num(s.width)),
        attr("style", s.dash.as_str()),
    ];
    if line.directed {
        attrs.push(attr("arrowhead", s.arrowhead));
    } else {
        attrs.push(attr("dir", "none"));
    }
    if !s.label.is_empty() {
        attrs.push(attr("label", &s.label));
        attrs.push(attr("fontcolor", style::link(line.kind).color));
    }
    let mut tip = String::new();
    for (i, (f, t)) in line.facts.iter().zip(&line.titles).enumerate() {
        use std::fmt::Write;
        let sep = if i == 0 { "" } else { "\n" };
        let _ = write!(tip, "{sep}{}: {f}: {t}", line.kind);
    }
    attrs.push(attr("tooltip", &tip));
    attrs
}

/// A sample line for the legend: two small points and the line between them.
fn sample(key: &str, label: &str, mut attrs: Vec<Attribute>, out: &mut Vec<Stmt>) {
    let (a, b) = (format!("legend {key} a"), format!("legend {key} b"));
    for n in [&a, &b] {
        out.push(Stmt::Node(DotNode::new(
            node_id(n),
            vec![
                attr("shape", "point"),
                attr("width", "0.05"),
                attr("color", "#888888"),
                attr("label", ""),
            ],
        )));
    }
    attrs.push(attr("label", label));
    attrs.push(attr("fontsize", "9"));
    out.push(edge(&a, &b, attrs));
}

/// The legend, as a cluster of sample nodes and lines (ids start with `legend `, which no
/// entity id can: ids have no spaces).
fn legend(p: &impl Picture) -> Option<Stmt> {
    let l = Legend::of(p);
    if l.is_empty() {
        return None;
    }
    let mut stmts = vec![Stmt::GAttribute(GraphAttributes::Graph(vec![
        attr("label", "Legend"),
        attr("fontsize", "11"),
        attr("style", "rounded"),
        attr("color", "#bbbbbb"),
        attr("fontcolor", "#555555"),
    ]))];
    for k in &l.entities {
        let mut attrs = vec![attr("label", style::node(*k).legend)];
        attrs.extend(kind_attrs(*k));
        attrs.push(attr("fontsize", "9"));
        stmts.push(Stmt::Node(DotNode::new(
            node_id(&format!("legend {}", k.as_str())),
            attrs,
        )));
    }
    for k in &l.links {
        let s = style::link(*k);
        let mut attrs = vec![
            attr("color", s.color),
            attr("penwidth", &num(s.width)),
            attr("fontcolor", s.color),
        ];
        if s.arrowhead == "none" {
            attrs.push(attr("dir", "none"));
        } else {
            attrs.push(attr("arrowhead", s.arrowhead));
        }
        sample(k.as_str(), s.legend, attrs, &mut stmts);
    }
    if l.possible {
        let attrs = vec![
            attr("color", "#88888899"),
            attr("style", "dashed"),
            attr("dir", "none"),
        ];
        sample("possible", style::POSSIBLE_LEGEND, attrs, &mut stmts);
    }
    for st in &l.statuses {
        let line = Line {
            from: String::new(),
            to: String::new(),
            kind: crate::graph::LinkKind::Treaty,
            directed: false,
            certainty: None,
            status: Some(*st),
            facts: Vec::new(),
            titles: Vec::new(),
        };
        let s = style::stroke(&line, false);
        let attrs = vec![
            attr("color", "#555555"),
            attr("penwidth", &num(s.width)),
            attr("style", s.dash.as_str()),
            attr("dir", "none"),
        ];
        sample(st.as_str(), style::status_legend(*st), attrs, &mut stmts);
    }
    if l.hubs {
        stmts.push(Stmt::Node(DotNode::new(
            node_id("legend hub"),
            vec![
                attr("label", style::HUB_LEGEND),
                attr("shape", style::HUB_SHAPE),
                attr("style", "filled"),
                attr("fillcolor", "white"),
                attr("color", "#555555"),
                attr("fontcolor", "#555555"),
                attr("fontsize", "9"),
            ],
        )));
    }
    let mut notes = Vec::new();
    if l.merged {
        notes.push(style::MERGED_LEGEND);
    }
    if l.clusters {
        notes.push(style::CLUSTER_LEGEND);
    }
    if !notes.is_empty() {
        stmts.push(Stmt::Node(DotNode::new(
            node_id("legend notes"),
            vec![
                attr("shape", "plaintext"),
                attr("fontsize", "9"),
                attr("label", &notes.join("\n")),
            ],
        )));
    }
    Some(Stmt::Subgraph(Subgraph {
        id: id("cluster legend"),
        stmts,
    }))
}

/// The graph's statements, in order, each given to `emit` as it is made.
fn statements(
    p: &impl Picture,
    emit: &mut dyn FnMut(Stmt) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let head = p.head();
    emit(Stmt::GAttribute(GraphAttributes::Graph(vec![
        attr("label", head.title),
        attr("labelloc", "t"),
        attr("fontname", FONT),
        attr("fontsize", "16"),
        attr("rankdir", "LR"),
        attr("nodesep", "0.25"),
        attr("ranksep", "0.9"),
        attr("pad", "0.3"),
        attr("bgcolor", "white"),
    ])))?;
    emit(Stmt::GAttribute(GraphAttributes::Node(vec![
        attr("fontname", FONT),
        attr("fontsize", "11"),
    ])))?;
    emit(Stmt::GAttribute(GraphAttributes::Edge(vec![
        attr("fontname", FONT),
        attr("fontsize", "9"),
        attr("arrowsize", "0.8"),
    ])))?;
    if let Some(l) = legend(p) {
        emit(l)?;
    }
    if p.is_empty() {
        emit(Stmt::Node(DotNode::new(
            node_id("legend empty"),
            vec![
                attr("shape", "plaintext"),
                attr("fontcolor", "#555555"),
                attr("label", style::EMPTY_NOTE),
            ],
        )))?;
    }
    let mut clustered: HashSet<String> = HashSet::new();
    for c in p.clusters() {
        let mut inner = vec![Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("label", &format!("members of {}", c.name)),
            attr("style", "rounded,filled"),
            attr("fillcolor", style::CLUSTER_FILL),
            attr("color", style::node(EntityKind::Organization).stroke),
            attr("fontcolor", style::node(EntityKind::Organization).stroke),
            attr("fontsize", "11"),
        ]))];
        for m in std::iter::once(&c.org).chain(&c.members) {
            if let Some(n) = p.node(m) {
                inner.push(entity(&n));
                clustered.insert(n.id.clone());
            }
        }
        emit(Stmt::Subgraph(Subgraph {
            id: id(&format!("cluster org {}", c.org)),
            stmts: inner,
        }))?;
    }
    for n in p.nodes() {
        if !clustered.contains(n.id.as_str()) {
            emit(entity(&n))?;
        }
    }
    for h in p.hubs() {
        emit(hub(&h))?;
    }
    let each = head.parallel == Parallel::Each;
    for line in p.lines() {
        let labelled = each && !p.is_hub(&line.to);
        emit(edge(&line.from, &line.to, line_attrs(&line, labelled)))?;
    }
    Ok(())
}

/// The name of the graph.
fn graph_id() -> Id {
    id("dipgraph")
}

/// The diagram as graphviz-rust's syntax tree, whole.
pub fn graph(p: &impl Picture) -> Graph {
    let mut stmts = Vec::new();
    let _ = statements(p, &mut |s| {
        stmts.push(s);
        Ok(())
    });
    Graph::DiGraph {
        id: graph_id(),
        strict: false,
        stmts,
    }
}

/// Writes the diagram as DOT, ending in a newline, to `out`: the text graphviz-rust prints of
/// [`graph`], a statement at a time.
pub fn write_dot<W: Write>(mut out: W, p: &impl Picture) -> std::io::Result<()> {
    let mut ctx = PrinterContext::default();
    // Printing the graph, empty, puts the printer where a graph's statements are printed
    // (inside a directed graph, one indent in); each statement is then printed as the whole
    // graph would print it, one per line.
    let empty = Graph::DiGraph {
        id: graph_id(),
        strict: false,
        stmts: Vec::new(),
    };
    let _ = empty.print(&mut ctx);
    write!(out, "digraph {} {{", graph_id().print(&mut ctx))?;
    statements(p, &mut |s| {
        out.write_all(b"\n")?;
        out.write_all(s.print(&mut ctx).as_bytes())
    })?;
    out.write_all(b"\n}\n")
}

/// The diagram as DOT text, ending in a newline.
pub fn to_dot(dg: &Diagram) -> String {
    let mut bytes = Vec::new();
    // Writing to memory cannot fail.
    let _ = write_dot(&mut bytes, dg);
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::LinkKind;
    use crate::model::Date;
    use crate::query::export::{ExportOptions, HUB_MIN, Scope, diagram};

    #[test]
    fn written_a_statement_at_a_time_is_the_whole_graph_printed() {
        let loaded = crate::load::load(&crate::load::DataSource::Bundled);
        let g = crate::store::MemoryStore::new(loaded.dataset.clone(), true);
        let d = |s: &str| Date::parse(s).expect("a date");
        let on = ExportOptions::on(d("2021-03-15"));
        let mut cases = vec![
            on.clone(),
            ExportOptions::on(d("1900")),
            ExportOptions {
                scope: Scope::All,
                parallel: Parallel::Each,
                ..on.clone()
            },
            ExportOptions {
                scope: Scope::Diff {
                    from: d("2014"),
                    to: d("2022-02-24"),
                },
                hubs: None,
                ..on.clone()
            },
        ];
        cases.push(ExportOptions {
            kinds: vec![LinkKind::Membership, LinkKind::Alliance],
            hubs: Some(HUB_MIN),
            ..on.clone()
        });
        // Around the EU, its members are no other organization's: a cluster.
        let eu = match loaded.dataset.lookup("EU") {
            Some(crate::model::Target::Entity(i)) => i,
            _ => panic!("the EU is bundled"),
        };
        cases.push(ExportOptions {
            focus: Some(eu),
            ..on
        });
        let mut shown = 0;
        for opts in &cases {
            let dg = diagram(&g, opts).expect("reads");
            let mut whole = graph(&dg).print(&mut PrinterContext::default());
            whole.push('\n');
            assert_eq!(to_dot(&dg), whole, "{opts:?}");
            shown += usize::from(!dg.lines.is_empty() && !dg.clusters.is_empty());
        }
        assert!(shown > 0, "some case draws lines and clusters");
    }

    #[test]
    fn quote_escapes_what_could_break_out() {
        assert_eq!(quote("Belarus"), "\"Belarus\"");
        assert_eq!(quote("a\"b"), "\"a\\\"b\"");
        assert_eq!(quote("back\\slash"), "\"back\\\\slash\"");
        assert_eq!(quote("two\nlines"), "\"two\\nlines\"");
        assert_eq!(quote("crlf\r\nend"), "\"crlf\\nend\"");
        assert_eq!(quote("AT&T &lt;"), "\"AT&amp;T &amp;lt;\"");
        assert_eq!(quote("nul\u{0}tab\t"), "\"nul tab \"");
        assert_eq!(quote("ends with \\"), "\"ends with \\\\\"");
        assert_eq!(quote(""), "\"\"");
    }

    #[test]
    fn unquote_reads_back_what_quote_wrote() {
        for s in [
            "plain",
            "q\"uote",
            "\\N \\l \\\"",
            "a\nb",
            "<b>{x}</b> ]; x -> y [",
            "&amp; &lt;",
            "node",
            "1st",
            "",
            "\\",
        ] {
            assert_eq!(unquote(&quote(s)).as_deref(), Some(s), "{s:?}");
        }
        assert_eq!(unquote("plain"), None);
        assert_eq!(unquote("\"bad \\x\""), None);
    }
}
