//! Diagrams, end to end: every DOT export re-parsed by graphviz-rust with its labels read back
//! and nothing injected, accepted by Graphviz (`dot -Tplain`), the built-in renderer's SVG and
//! PNG valid and not blank, GraphML well-formed with the expected counts, a missing `dot` a
//! clear error, and files written whole.
//!
//! Tests that need Graphviz fail under CI (`CI=true`, where `.ci/run` installs it) and are
//! skipped with a note elsewhere when `dot` is not on PATH.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use dipgraph::graph::LinkKind;
use dipgraph::load::{self, DataSource};
use dipgraph::model::{Dataset, Date, Target};
use dipgraph::query::export::{self, Diagram, ExportOptions, Parallel, Scope};
use dipgraph::render::dot;
use dipgraph::store::{MemoryStore, Store};
use graphviz_rust::dot_structures::{
    Attribute, EdgeTy, Graph as DotGraph, GraphAttributes, Id, Stmt, Vertex,
};

use crate::support::{assert_contains, code, run, stderr, stdout};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root()
        .join("tests/fixtures/diagrams")
        .join(name)
        .join("graph")
}

fn dataset(source: DataSource) -> Dataset {
    let loaded = load::load(&source);
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity() == dipgraph::diag::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    loaded.dataset
}

/// The three datasets every check runs over.
fn worlds() -> Vec<(&'static str, Dataset)> {
    vec![
        ("world", dataset(DataSource::Path(fixture("world")))),
        ("hostile", dataset(DataSource::Path(fixture("hostile")))),
        ("bundled", dataset(DataSource::Bundled)),
    ]
}

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

/// A spread of options: dates, all, a diff, a focus, kinds, one line per fact, pairs only, and
/// a date when nothing held.
fn option_sets(data: &Dataset) -> Vec<(String, ExportOptions)> {
    let on = ExportOptions::on(d("2021-03-15"));
    let mut out = vec![("on".to_string(), on.clone())];
    let mut o = on.clone();
    o.scope = Scope::All;
    out.push(("all".into(), o));
    let mut o = on.clone();
    o.scope = Scope::Diff {
        from: d("2020-01-01"),
        to: d("2021-12-31"),
    };
    out.push(("diff".into(), o));
    let mut o = on.clone();
    o.kinds = vec![LinkKind::Sanction, LinkKind::Alliance];
    o.parallel = Parallel::Each;
    o.hubs = None;
    o.clusters = false;
    out.push(("kinds-each-pairs".into(), o));
    let mut o = on.clone();
    o.scope = Scope::On { on: d("1900") };
    out.push(("empty".into(), o));
    // Centred on the entity with the most facts, two hops out.
    let g = MemoryStore::new(data.clone(), true);
    if let Some(busiest) = (0..data.entities.len()).max_by_key(|&i| {
        let named = g.named(i).expect("reads").len();
        (named, std::cmp::Reverse(i))
    }) {
        let mut o = on.clone();
        o.focus = Some(busiest);
        o.depth = 2;
        out.push(("focus".into(), o));
    }
    out
}

fn diagrams() -> Vec<(String, Diagram)> {
    let mut out = Vec::new();
    for (name, data) in worlds() {
        let g = MemoryStore::new(data.clone(), true);
        for (label, opts) in option_sets(&data) {
            out.push((
                format!("{name}/{label}"),
                export::diagram(&g, &opts).expect("reads"),
            ));
        }
    }
    out
}

/// What a DOT string id reads back as (`None` for anything but a quoted string).
fn text(id: &Id) -> Option<String> {
    match id {
        Id::Escaped(s) => dot::unquote(s),
        _ => None,
    }
}

/// Attribute names the DOT writer uses; anything else was injected.
const ATTRIBUTES: &[&str] = &[
    "label",
    "labelloc",
    "fontname",
    "fontsize",
    "fontcolor",
    "rankdir",
    "nodesep",
    "ranksep",
    "pad",
    "bgcolor",
    "arrowsize",
    "shape",
    "style",
    "fillcolor",
    "color",
    "penwidth",
    "tooltip",
    "width",
    "dir",
    "arrowhead",
];

fn check_attrs(what: &str, attrs: &[Attribute]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for Attribute(k, v) in attrs {
        let Id::Plain(name) = k else {
            panic!("{what}: attribute name {k:?} is not a plain name");
        };
        assert!(
            ATTRIBUTES.contains(&name.as_str()),
            "{what}: unexpected attribute `{name}`"
        );
        let value = text(v).unwrap_or_else(|| panic!("{what}: value {v:?} is not quoted"));
        assert!(
            out.insert(name.clone(), value).is_none(),
            "{what}: `{name}` given twice"
        );
    }
    out
}

/// Nodes (id → label) and edges (from, to) of a parsed DOT graph, any depth of subgraph.
#[derive(Default)]
struct Parsed {
    nodes: BTreeMap<String, String>,
    edges: Vec<(String, String)>,
}

fn walk(what: &str, stmts: &[Stmt], out: &mut Parsed) {
    for s in stmts {
        match s {
            Stmt::Node(n) => {
                let id = text(&n.id.0).unwrap_or_else(|| panic!("{what}: node id {:?}", n.id));
                assert!(n.id.1.is_none(), "{what}: a port on {id}");
                let attrs = check_attrs(what, &n.attributes);
                let label = attrs.get("label").cloned().unwrap_or_default();
                assert!(
                    out.nodes.insert(id.clone(), label).is_none(),
                    "{what}: node {id} twice"
                );
            }
            Stmt::Edge(e) => {
                check_attrs(what, &e.attributes);
                let EdgeTy::Pair(Vertex::N(a), Vertex::N(b)) = &e.ty else {
                    panic!("{what}: an edge that is not a pair of nodes: {:?}", e.ty);
                };
                let (a, b) = (text(&a.0), text(&b.0));
                out.edges
                    .push((a.expect("quoted edge end"), b.expect("quoted edge end")));
            }
            Stmt::Subgraph(sg) => {
                let id = text(&sg.id).expect("quoted subgraph id");
                assert!(id.starts_with("cluster "), "{what}: subgraph {id}");
                walk(what, &sg.stmts, out);
            }
            Stmt::GAttribute(g) => {
                let attrs = match g {
                    GraphAttributes::Graph(a)
                    | GraphAttributes::Node(a)
                    | GraphAttributes::Edge(a) => a,
                };
                check_attrs(what, attrs);
            }
            Stmt::Attribute(a) => panic!("{what}: a bare attribute statement {a:?}"),
        }
    }
}

/// A name as the DOT shows it: line ends as `\n`, other control characters as spaces.
fn shown(name: &str) -> String {
    name.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
}

#[test]
fn every_dot_export_reparses_and_says_exactly_what_the_data_says() {
    for (what, dg) in diagrams() {
        let text_out = dot::to_dot(&dg);
        assert!(text_out.starts_with("digraph "), "{what}: {text_out}");
        let parsed = graphviz_rust::parse(&text_out)
            .unwrap_or_else(|e| panic!("{what}: graphviz-rust cannot parse:\n{e}\n{text_out}"));
        let DotGraph::DiGraph { strict, stmts, .. } = parsed else {
            panic!("{what}: not a digraph");
        };
        assert!(!strict, "{what}");
        let mut p = Parsed::default();
        walk(&what, &stmts, &mut p);

        // Every entity and hub, labelled with its name, and nothing else but the legend.
        let mut expected: BTreeMap<String, String> = dg
            .nodes
            .iter()
            .map(|n| (n.id.clone(), shown(&n.name)))
            .collect();
        expected.extend(dg.hubs.iter().map(|h| (h.id.clone(), shown(&h.title))));
        let drawn: BTreeMap<String, String> = p
            .nodes
            .iter()
            .filter(|(id, _)| !id.starts_with("legend "))
            .map(|(a, b)| (a.clone(), b.clone()))
            .collect();
        assert_eq!(drawn, expected, "{what}");

        // Every line, and only the lines (the legend's samples join legend points).
        let lines: Vec<(String, String)> = dg
            .lines
            .iter()
            .map(|l| (l.from.clone(), l.to.clone()))
            .collect();
        let edges: Vec<(String, String)> = p
            .edges
            .iter()
            .filter(|(a, b)| !(a.starts_with("legend ") && b.starts_with("legend ")))
            .cloned()
            .collect();
        assert_eq!(edges, lines, "{what}");
        let ends: BTreeSet<&String> = edges.iter().flat_map(|(a, b)| [a, b]).collect();
        assert!(ends.iter().all(|e| expected.contains_key(*e)), "{what}");

        // The title, as built.
        let title = stmts.iter().find_map(|s| match s {
            Stmt::GAttribute(GraphAttributes::Graph(a)) => {
                check_attrs(&what, a).get("label").cloned()
            }
            _ => None,
        });
        assert_eq!(title.as_deref(), Some(dg.title.as_str()), "{what}");
    }
}

#[test]
fn hostile_names_survive_as_written() {
    let data = dataset(DataSource::Path(fixture("hostile")));
    let g = MemoryStore::new(data.clone(), true);
    let dg = export::diagram(&g, &ExportOptions::on(d("2021-03-15"))).expect("reads");
    let text_out = dot::to_dot(&dg);
    let DotGraph::DiGraph { stmts, .. } = graphviz_rust::parse(&text_out).expect("parses") else {
        panic!("not a digraph");
    };
    let mut p = Parsed::default();
    walk("hostile", &stmts, &mut p);
    let label = |id: &str| p.nodes.get(id).cloned().unwrap_or_default();
    assert_eq!(label("AAA"), "Quote \"Land\"");
    assert_eq!(label("BBB"), "Back\\slash \\N \\l \\");
    assert_eq!(label("CCC"), "Line one\nline two\nline three");
    assert_eq!(label("DDD"), "<b>bold</b> & {braces} <<html>>");
    assert_eq!(label("EEE"), "node");
    assert_eq!(label("FFF"), "graph");
    assert_eq!(label("GGG"), "1st Republic");
    assert_eq!(label("HHH"), "]; x -> y [color=red");
    assert_eq!(label("III"), "\"]; evil [shape=\"box\" label=\"pwned");
    assert_eq!(label("JJJ"), "AT&amp;T &lt;tag&gt;  bell");
    assert_eq!(label("strict"), "strict digraph { a -> b }");
    // No node, edge or attribute came from a name: the injected `x`, `y`, `evil` are absent.
    for injected in ["x", "y", "evil", "a", "b", "pwned"] {
        assert!(!p.nodes.contains_key(injected), "{injected}");
    }
    assert!(!text_out.contains("\nstrict"));
    // Graphviz decodes HTML entities in plain labels, so `&` is written `&amp;`: the label
    // reads back as the name, not as `AT&T <tag>`.
    assert!(
        text_out.contains("AT&amp;amp;T &amp;lt;tag&amp;gt;"),
        "{text_out}"
    );
}

/// Whether Graphviz's `dot` can be run: under CI it must be (`.ci/run` installs it).
fn have_dot() -> bool {
    let ok = Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").is_err(),
            "Graphviz's `dot` is not installed, and CI must test it (.ci/run installs it)"
        );
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"note: Graphviz's `dot` is not installed; skipping the checks that need it\n",
        );
    }
    ok
}

#[test]
fn graphviz_accepts_every_export() {
    if !have_dot() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    for (what, dg) in diagrams() {
        let path = dir.path().join("d.dot");
        std::fs::write(&path, dot::to_dot(&dg)).expect("write");
        let o = Command::new("dot")
            .arg("-Tplain")
            .arg(&path)
            .output()
            .expect("dot runs");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{what}: dot failed: {err}");
        assert!(err.trim().is_empty(), "{what}: dot warned: {err}");
        let plain = String::from_utf8_lossy(&o.stdout);
        let nodes = plain.lines().filter(|l| l.starts_with("node ")).count();
        let legend = plain
            .lines()
            .filter(|l| l.starts_with("node legend") || l.starts_with("node \"legend "))
            .count();
        assert_eq!(nodes - legend, dg.nodes.len() + dg.hubs.len(), "{what}");
    }
}

fn world_args(extra: &[&str]) -> Vec<String> {
    let mut v = vec!["--data".to_string(), fixture("world").display().to_string()];
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

fn run_in(dir: &Path, args: &[String]) -> std::process::Output {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    run(dir, &a)
}

/// PNG pixels: the decoded image is RGBA or RGB of more than one colour, with dark (text)
/// pixels.
fn check_png(what: &str, bytes: &[u8]) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    // A palette is expanded to RGB.
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder
        .read_info()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let px = info.color_type.samples();
    assert!(px >= 3, "{what}: {:?}", info.color_type);
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(px).collect();
    let first = pixels[0];
    assert!(
        pixels.iter().any(|p| p[..3] != first[..3]),
        "{what}: every pixel is one colour"
    );
    let dark = pixels
        .iter()
        .filter(|p| p[0] < 90 && p[1] < 90 && p[2] < 90)
        .count();
    assert!(
        dark > 200,
        "{what}: no text to be seen ({dark} dark pixels)"
    );
}

fn check_svg(what: &str, text: &str) {
    use resvg::usvg::roxmltree;
    // Graphviz's SVG has a DOCTYPE.
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, opts)
        .unwrap_or_else(|e| panic!("{what}: not XML: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg", "{what}");
}

#[test]
fn builtin_renderer_makes_valid_svg_and_png() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases: [(&str, Vec<String>); 4] = [
        ("focus", world_args(&["render", "--focus", "BLR"])),
        (
            "diff",
            world_args(&["render", "--diff", "2020-01-01", "2021-12-31"]),
        ),
        ("empty", world_args(&["render", "--on", "1900"])),
        (
            "hostile",
            vec![
                "--data".into(),
                fixture("hostile").display().to_string(),
                "render".into(),
            ],
        ),
    ];
    for (what, args) in cases {
        for ext in ["svg", "png"] {
            let file = dir.path().join(format!("{what}.{ext}"));
            let mut a = args.clone();
            a.extend([
                "--engine".into(),
                "builtin".into(),
                "-o".into(),
                file.display().to_string(),
            ]);
            let o = run_in(dir.path(), &a);
            assert_eq!(code(&o), 0, "{what}.{ext}: {}", stderr(&o));
            assert_contains(&stderr(&o), "drawn by the built-in renderer");
            let bytes = std::fs::read(&file).expect("written");
            match ext {
                "svg" => check_svg(what, &String::from_utf8(bytes).expect("UTF-8")),
                _ => check_png(what, &bytes),
            }
        }
    }
    // The same command makes the same bytes.
    let again = dir.path().join("again.png");
    let mut a = world_args(&["render", "--focus", "BLR", "--engine", "builtin", "-o"]);
    a.push(again.display().to_string());
    assert_eq!(code(&run_in(dir.path(), &a)), 0);
    assert_eq!(
        std::fs::read(&again).expect("again"),
        std::fs::read(dir.path().join("focus.png")).expect("first")
    );
    // Nothing but the pictures is left behind (no temporary files).
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn the_builtin_svg_escapes_every_name() {
    let data = dataset(DataSource::Path(fixture("hostile")));
    let g = MemoryStore::new(data.clone(), true);
    let dg = export::diagram(&g, &ExportOptions::on(d("2021-03-15"))).expect("reads");
    let svg = dipgraph::render::picture::builtin_svg(&dg);
    let doc = resvg::usvg::roxmltree::Document::parse(&svg).expect("XML");
    let texts: String = doc
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("|");
    assert!(texts.contains("Quote \"Land\""), "{texts}");
    assert!(texts.contains("<b>bold</b> & {braces} <<html>>"), "{texts}");
    assert!(texts.contains("AT&amp;T &lt;tag&gt;  bell"), "{texts}");
    // No element came from a name.
    assert!(doc.descendants().all(|n| !n.has_tag_name("b")));
}

#[test]
fn graphviz_renders_svg_and_png() {
    if !have_dot() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    for ext in ["svg", "png"] {
        let file = dir.path().join(format!("blr.{ext}"));
        let mut a = world_args(&["render", "--focus", "BLR", "--engine", "dot", "-o"]);
        a.push(file.display().to_string());
        let o = run_in(dir.path(), &a);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert_contains(&stderr(&o), "drawn by Graphviz dot");
        let bytes = std::fs::read(&file).expect("written");
        match ext {
            "svg" => check_svg("dot svg", &String::from_utf8(bytes).expect("UTF-8")),
            _ => check_png("dot png", &bytes),
        }
    }
    // An empty diagram is an empty titled picture, not an error.
    let file = dir.path().join("empty.svg");
    let mut a = world_args(&["render", "--on", "1900", "--engine", "dot", "-o"]);
    a.push(file.display().to_string());
    let o = run_in(dir.path(), &a);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let svg = std::fs::read_to_string(&file).expect("written");
    assert!(svg.contains("Relations on 1900"), "{svg}");
}

#[test]
fn a_missing_dot_is_a_clear_error_and_auto_falls_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = tempfile::tempdir().expect("empty PATH folder");
    let file = dir.path().join("x.png");
    let args = |engine: &str| {
        let mut a = world_args(&["render", "--focus", "BLR", "--engine", engine, "-o"]);
        a.push(file.display().to_string());
        a
    };
    let run_without_dot = |a: &[String]| {
        Command::new(env!("CARGO_BIN_EXE_dipgraph"))
            .args(a)
            .current_dir(dir.path())
            .env("DIPGRAPH_TODAY", "2021-03-15")
            .env("PATH", empty.path())
            .output()
            .expect("runs")
    };
    let o = run_without_dot(&args("dot"));
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("install Graphviz"), "{err}");
    assert!(err.contains("--engine builtin"), "{err}");
    assert!(!err.contains("No such file"), "{err}");
    assert!(!file.exists());
    let o = run_without_dot(&args("auto"));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_contains(&stderr(&o), "built-in renderer");
    check_png("auto", &std::fs::read(&file).expect("written"));
}

#[test]
fn graphml_parses_with_every_node_and_edge() {
    use quick_xml::events::Event;
    for (what, data) in worlds() {
        let g = MemoryStore::new(data.clone(), true);
        for (label, opts) in option_sets(&data) {
            let dg = export::diagram(&g, &opts).expect("reads");
            let text_out = dipgraph::render::graphml::to_graphml(&dg).expect("GraphML");
            let mut r = quick_xml::Reader::from_str(&text_out);
            r.config_mut().check_end_names = true;
            let (mut nodes, mut edges, mut open) = (0, 0, 0i32);
            let mut ids = BTreeSet::new();
            loop {
                match r.read_event() {
                    Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                        let name = e.name();
                        if name.as_ref() == "node" {
                            nodes += 1;
                        }
                        if name.as_ref() == "edge" {
                            edges += 1;
                            let id = e
                                .try_get_attribute("id")
                                .expect("attribute")
                                .expect("an id")
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .expect("text")
                                .into_owned();
                            assert!(ids.insert(id), "{what}/{label}: repeated edge id");
                        }
                        open += 1;
                    }
                    Ok(Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{what}/{label}: {e}"),
                }
            }
            assert!(open > 0);
            assert_eq!(nodes, dg.nodes.len(), "{what}/{label}");
            assert_eq!(edges, dg.edges.len(), "{what}/{label}");
        }
    }
}

#[test]
fn exports_to_a_file_are_written_whole_and_repeatable() {
    let dir = tempfile::tempdir().expect("temp dir");
    for fmt in ["dot", "json", "csv", "graphml"] {
        let file = dir.path().join(format!("out.{fmt}"));
        let mut a = world_args(&["export", fmt, "--all", "-o"]);
        a.push(file.display().to_string());
        let o = run_in(dir.path(), &a);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert!(stdout(&o).is_empty());
        let written = std::fs::read_to_string(&file).expect("written");
        let o = run_in(dir.path(), &world_args(&["export", fmt, "--all"]));
        assert_eq!(stdout(&o), written, "{fmt}: the file and stdout differ");
    }
    let o = run_in(
        dir.path(),
        &world_args(&["export", "dot", "-o", "no/such/folder/x.dot"]),
    );
    assert_eq!(code(&o), 2);
    assert_contains(&stderr(&o), "cannot write");
}

#[test]
fn the_bundled_belarus_picture_is_made_without_graphviz() {
    // The "done when": `render --on 2021-03-15 --focus BLR -o belarus.png` on a machine
    // without Graphviz makes a readable picture.
    let data = dataset(DataSource::Bundled);
    let blr = match data.lookup("BLR") {
        Some(Target::Entity(i)) => i,
        _ => panic!("no BLR"),
    };
    let g = MemoryStore::new(data.clone(), true);
    let mut o = ExportOptions::on(d("2021-03-15"));
    o.focus = Some(blr);
    o.clusters = false;
    let dg = export::diagram(&g, &o).expect("reads");
    assert!(dg.nodes.len() > 10, "{}", dg.nodes.len());
    let svg = dipgraph::render::picture::builtin_svg(&dg);
    check_svg("belarus", &svg);
    for name in [
        "Belarus",
        "Russia",
        "European Union",
        "Alexander Lukashenko",
    ] {
        assert!(svg.contains(&format!(">{name}<")), "{name} is not drawn");
    }
}

#[test]
fn a_diagram_too_large_to_read_is_refused_unless_asked_for() {
    // The bundled world on one date, unfocused: 80 boxes and 258 lines.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("world.svg");
    let path = file.display().to_string();
    let o = run(
        dir.path(),
        &[
            "render",
            "--on",
            "2021-03-15",
            "--engine",
            "builtin",
            "-o",
            &path,
        ],
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    for hint in [
        "more than a picture can show readably",
        "--focus",
        "--kinds",
        "--large",
    ] {
        assert!(err.contains(hint), "{hint}: {err}");
    }
    assert!(!file.exists());
    let o = run(
        dir.path(),
        &[
            "render",
            "--on",
            "2021-03-15",
            "--engine",
            "builtin",
            "--large",
            "-o",
            &path,
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    check_svg("large", &std::fs::read_to_string(&file).expect("written"));
}

#[test]
fn hostile_names_cannot_alter_the_timeline_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("hostile.html");
    let a = vec![
        "--data".to_string(),
        fixture("hostile").display().to_string(),
        "render".into(),
        "--from".into(),
        "1900".into(),
        "--to".into(),
        "2030".into(),
        "--engine".into(),
        "builtin".into(),
        "-o".into(),
        file.display().to_string(),
    ];
    let o = run_in(dir.path(), &a);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = std::fs::read_to_string(&file).expect("written");
    // The page's own two scripts, and no element from a name.
    assert_eq!(html.matches("<script").count(), 2);
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(
        !html.contains("<b>") && !html.contains("<<html>>"),
        "a name became markup"
    );
    // The data still holds the names, escaped for a script.
    assert!(
        html.contains("\\u003cb>bold\\u003c/b>"),
        "the name is not in the data"
    );
    // The picture is well-formed XML inside the page.
    let start = html.find("<svg").expect("an SVG");
    let end = html.find("</svg>").expect("its end") + "</svg>".len();
    check_svg("hostile timeline", &html[start..end]);
}
