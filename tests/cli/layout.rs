//! The built-in renderer's pictures, measured: its SVG is read back as Graphviz's is (each node a
//! `<g class="node">` titled with its id, each line a `<g class="edge">` titled `A->B`), and the
//! test counts lines that pass over a box other than their two ends (each path's curve
//! sampled), boxes that overlap, and line labels that overlap a box or another label. All must
//! be 0, on the diagrams of `docs/` (the timeline's picture included) and on 50 random focused
//! diagrams of the bundled world.

use std::collections::BTreeMap;

use dipgraph::graph::LinkKind;
use dipgraph::load::{self, DataSource};
use dipgraph::model::{Dataset, Date, Target};
use dipgraph::query::export::{self, Diagram, ExportOptions, Parallel, Scope};
use dipgraph::render::{picture, style};
use dipgraph::store::MemoryStore;
use proptest::prelude::RngExt;
use proptest::test_runner::{RngAlgorithm, TestRng};
use resvg::usvg;

/// An axis-aligned box: left, top, right, bottom.
#[derive(Debug, Clone, Copy)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    fn of_points(points: &[(f64, f64)]) -> Option<Rect> {
        let first = points.first()?;
        let mut r = Rect {
            x0: first.0,
            y0: first.1,
            x1: first.0,
            y1: first.1,
        };
        for &(x, y) in points {
            r.x0 = r.x0.min(x);
            r.y0 = r.y0.min(y);
            r.x1 = r.x1.max(x);
            r.y1 = r.y1.max(y);
        }
        Some(r)
    }

    /// The box shrunk by `by` on every side.
    fn shrunk(self, by: f64) -> Rect {
        Rect {
            x0: self.x0 + by,
            y0: self.y0 + by,
            x1: self.x1 - by,
            y1: self.y1 - by,
        }
    }

    fn contains(self, (x, y): (f64, f64)) -> bool {
        x > self.x0 && x < self.x1 && y > self.y0 && y < self.y1
    }

    fn overlaps(self, o: Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// The numbers of an SVG attribute (`points`, a path's `d` without its letters).
fn numbers(text: &str) -> Vec<f64> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect()
}

/// The points along a path of absolute `M`, `L` and `C` commands, a cubic segment sampled
/// every two units or so.
fn sample_path(d: &str) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut at = (0.0, 0.0);
    let mut rest = d.trim();
    while let Some(cmd) = rest.chars().next() {
        let end = rest[1..]
            .find(|c: char| c.is_ascii_alphabetic())
            .map_or(rest.len(), |i| i + 1);
        let args = numbers(&rest[1..end]);
        rest = rest[end..].trim_start();
        match cmd {
            'M' if args.len() >= 2 => {
                at = (args[0], args[1]);
                out.push(at);
            }
            'L' => {
                for p in args.chunks_exact(2) {
                    let to = (p[0], p[1]);
                    let len = ((to.0 - at.0).powi(2) + (to.1 - at.1).powi(2)).sqrt();
                    let n = (len / 2.0).ceil().max(1.0) as usize;
                    for k in 1..=n {
                        let t = k as f64 / n as f64;
                        out.push((at.0 + (to.0 - at.0) * t, at.1 + (to.1 - at.1) * t));
                    }
                    at = to;
                }
            }
            'C' => {
                for c in args.chunks_exact(6) {
                    let pts = [at, (c[0], c[1]), (c[2], c[3]), (c[4], c[5])];
                    let hull: f64 = pts
                        .windows(2)
                        .map(|w| ((w[1].0 - w[0].0).powi(2) + (w[1].1 - w[0].1).powi(2)).sqrt())
                        .sum();
                    let n = (hull / 2.0).ceil().max(4.0) as usize;
                    for k in 1..=n {
                        let t = k as f64 / n as f64;
                        let u = 1.0 - t;
                        let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
                        let x = pts.iter().zip(w).map(|(p, k)| p.0 * k).sum();
                        let y = pts.iter().zip(w).map(|(p, k)| p.1 * k).sum();
                        out.push((x, y));
                    }
                    at = (c[4], c[5]);
                }
            }
            _ => {}
        }
    }
    out
}

/// The box of a node's shape element.
fn shape_box(n: usvg::roxmltree::Node<'_, '_>) -> Option<Rect> {
    let num = |a: &str| n.attribute(a).and_then(|v| v.parse::<f64>().ok());
    match n.tag_name().name() {
        "rect" => {
            let (x, y, w, h) = (num("x")?, num("y")?, num("width")?, num("height")?);
            Some(Rect {
                x0: x,
                y0: y,
                x1: x + w,
                y1: y + h,
            })
        }
        "ellipse" => {
            let (cx, cy, rx, ry) = (num("cx")?, num("cy")?, num("rx")?, num("ry")?);
            Some(Rect {
                x0: cx - rx,
                y0: cy - ry,
                x1: cx + rx,
                y1: cy + ry,
            })
        }
        "polygon" => {
            let v = numbers(n.attribute("points")?);
            let pts: Vec<(f64, f64)> = v.chunks_exact(2).map(|p| (p[0], p[1])).collect();
            Rect::of_points(&pts)
        }
        "path" => Rect::of_points(&sample_path(n.attribute("d")?)),
        _ => None,
    }
}

/// The text of the `<title>` child of `n`.
fn title_of(n: usvg::roxmltree::Node<'_, '_>) -> Option<String> {
    n.children()
        .find(|c| c.has_tag_name("title"))
        .and_then(|t| t.text())
        .map(str::to_string)
}

fn has_class(n: usvg::roxmltree::Node<'_, '_>, class: &str) -> bool {
    n.has_tag_name("g")
        && n.attribute("class")
            .is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

/// What a picture was measured to have.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    nodes: usize,
    edges: usize,
    labels: usize,
    /// Lines passing over a box other than their two ends.
    crossings: usize,
    /// Pairs of boxes that overlap.
    box_overlaps: usize,
    /// Pairs of labels that overlap, and labels that overlap a box.
    label_overlaps: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.nodes += o.nodes;
        self.edges += o.edges;
        self.labels += o.labels;
        self.crossings += o.crossings;
        self.box_overlaps += o.box_overlaps;
        self.label_overlaps += o.label_overlaps;
    }
}

/// The text boxes of every line's labels, by the line group's `id`, as usvg lays the text out
/// with the embedded font.
fn label_boxes(svg: &str) -> BTreeMap<String, Vec<Rect>> {
    let mut opt = usvg::Options::default();
    opt.fontdb_mut()
        .load_font_data(dejavu::sans::regular().to_vec());
    opt.fontdb_mut()
        .load_font_data(dejavu::sans::bold().to_vec());
    opt.fontdb_mut().set_sans_serif_family("DejaVu Sans");
    opt.font_family = "DejaVu Sans".into();
    let tree = usvg::Tree::from_str(svg, &opt).expect("usvg reads the SVG");
    let mut out: BTreeMap<String, Vec<Rect>> = BTreeMap::new();
    fn texts(g: &usvg::Group, into: &mut Vec<Rect>) {
        for c in g.children() {
            match c {
                usvg::Node::Text(t) => {
                    let b = t.abs_bounding_box();
                    into.push(Rect {
                        x0: f64::from(b.left()),
                        y0: f64::from(b.top()),
                        x1: f64::from(b.right()),
                        y1: f64::from(b.bottom()),
                    });
                }
                usvg::Node::Group(g) => texts(g, into),
                _ => {}
            }
        }
    }
    fn walk(g: &usvg::Group, out: &mut BTreeMap<String, Vec<Rect>>) {
        for c in g.children() {
            if let usvg::Node::Group(g) = c {
                if g.id().starts_with("edge") {
                    let mut boxes = Vec::new();
                    texts(g, &mut boxes);
                    out.insert(g.id().to_string(), boxes);
                } else {
                    walk(g, out);
                }
            }
        }
    }
    walk(tree.root(), &mut out);
    out
}

/// Measures the built-in renderer's SVG `svg`; `what` names it in failures.
fn measure(what: &str, svg: &str) -> Counts {
    let doc = usvg::roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{what}: {e}"));
    let mut boxes: BTreeMap<String, Rect> = BTreeMap::new();
    for g in doc.descendants().filter(|n| has_class(*n, "node")) {
        let id = title_of(g).unwrap_or_else(|| panic!("{what}: a node without a title"));
        let shapes: Vec<_> = g
            .children()
            .filter(|c| matches!(c.tag_name().name(), "rect" | "ellipse" | "polygon" | "path"))
            .collect();
        assert_eq!(
            shapes.len(),
            1,
            "{what}: node {id} has {} shapes",
            shapes.len()
        );
        let b = shape_box(shapes[0]).unwrap_or_else(|| panic!("{what}: node {id}'s shape"));
        assert!(
            boxes.insert(id.clone(), b).is_none(),
            "{what}: node {id} twice"
        );
    }
    let labels = label_boxes(svg);
    let mut c = Counts {
        nodes: boxes.len(),
        ..Counts::default()
    };
    let mut all_labels: Vec<(String, Rect)> = Vec::new();
    for g in doc.descendants().filter(|n| has_class(*n, "edge")) {
        let title = title_of(g).unwrap_or_else(|| panic!("{what}: an edge without a title"));
        let (a, b) = title
            .split_once("->")
            .unwrap_or_else(|| panic!("{what}: edge title {title}"));
        assert!(boxes.contains_key(a), "{what}: {title}: no node {a}");
        assert!(boxes.contains_key(b), "{what}: {title}: no node {b}");
        let path = g
            .children()
            .find(|c| c.has_tag_name("path"))
            .and_then(|p| p.attribute("d"))
            .unwrap_or_else(|| panic!("{what}: {title} has no path"));
        c.edges += 1;
        let points = sample_path(path);
        let crossed = boxes
            .iter()
            .filter(|(id, _)| id.as_str() != a && id.as_str() != b)
            .any(|(_, r)| points.iter().any(|p| r.shrunk(1.0).contains(*p)));
        if crossed {
            c.crossings += 1;
        }
        let id = g.attribute("id").unwrap_or_default();
        for r in labels.get(id).into_iter().flatten() {
            all_labels.push((title.clone(), *r));
        }
    }
    c.labels = all_labels.len();
    let nodes: Vec<Rect> = boxes.values().map(|r| r.shrunk(0.5)).collect();
    for (i, r) in nodes.iter().enumerate() {
        c.box_overlaps += nodes[i + 1..].iter().filter(|o| r.overlaps(**o)).count();
    }
    for (i, (_, r)) in all_labels.iter().enumerate() {
        let r = r.shrunk(0.5);
        c.label_overlaps += all_labels[i + 1..]
            .iter()
            .filter(|(_, o)| r.overlaps(o.shrunk(0.5)))
            .count();
        c.label_overlaps += nodes.iter().filter(|o| r.overlaps(**o)).count();
    }
    c
}

fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

fn bundled() -> Dataset {
    load::load(&DataSource::Bundled).dataset
}

fn entity(data: &Dataset, id: &str) -> usize {
    match data.lookup(id) {
        Some(Target::Entity(i)) => i,
        _ => panic!("no {id}"),
    }
}

/// The options `render` uses for its filters.
fn render_options(scope: Scope) -> ExportOptions {
    let mut o = ExportOptions::on(d("2021-03-15"));
    o.scope = scope;
    o
}

/// The diagrams drawn in `docs/`, as their commands draw them.
fn docs_diagrams(data: &Dataset) -> Vec<(String, ExportOptions)> {
    let mut belarus = render_options(Scope::On {
        on: d("2021-03-15"),
    });
    belarus.focus = Some(entity(data, "BLR"));
    let mut sanctions = render_options(Scope::On {
        on: d("2021-12-31"),
    });
    sanctions.kinds = vec![LinkKind::Sanction];
    let mut csto = render_options(Scope::Diff {
        from: d("2008-01-01"),
        to: d("2021-03-15"),
    });
    csto.focus = Some(entity(data, "CSTO"));
    csto.kinds = vec![LinkKind::Membership];
    vec![
        ("docs belarus".into(), belarus),
        ("docs sanctions".into(), sanctions),
        ("docs csto".into(), csto),
    ]
}

/// 50 random focused diagrams of the bundled world that are small enough to be drawn: a random
/// entity, date (1992 to 2025), depth 1 or 2 and kinds (all, or one to four of them), one in four
/// with a line per fact (each labelled), from a fixed seed. Returns them and how many were drawn too large to be read and left out.
fn random_diagrams(data: &Dataset, g: &MemoryStore) -> (Vec<(String, ExportOptions)>, usize) {
    let mut rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[17; 32]);
    let mut out = Vec::new();
    let mut too_large = 0;
    while out.len() < 50 {
        let focus = rng.random_range(0..data.entities.len());
        let year = rng.random_range(1992..=2025u16);
        let month = rng.random_range(1..=12u8);
        let day = rng.random_range(1..=28u8);
        let on = Date::from_parts(year, month, day).expect("a date");
        let mut o = render_options(Scope::On { on });
        o.focus = Some(focus);
        o.depth = rng.random_range(1..=2usize);
        if rng.random_bool(0.5) {
            let n = rng.random_range(1..=4usize);
            let mut kinds: Vec<LinkKind> = LinkKind::ALL.to_vec();
            for _ in 0..kinds.len() - n {
                let k = rng.random_range(0..kinds.len());
                kinds.remove(k);
            }
            o.kinds = kinds;
        }
        // One in four draws a line per fact, labelled with its id.
        let each = rng.random_bool(0.25);
        if each {
            o.parallel = Parallel::Each;
        }
        let dg = export::diagram(g, &o).expect("reads");
        if picture::too_large(&dg).is_some() {
            too_large += 1;
            continue;
        }
        let kinds: Vec<&str> = o.kinds.iter().map(|k| k.as_str()).collect();
        out.push((
            format!(
                "random {} on {on} depth {} kinds {}{}",
                data.entities[focus].id,
                o.depth,
                if kinds.is_empty() {
                    "all".to_string()
                } else {
                    kinds.join(",")
                },
                if each { " each" } else { "" }
            ),
            o,
        ));
    }
    (out, too_large)
}

fn diagram(g: &MemoryStore, o: &ExportOptions) -> Diagram {
    export::diagram(g, o).expect("reads")
}

#[test]
fn no_line_crosses_a_box_and_no_label_overlaps() {
    let data = bundled();
    let g = MemoryStore::new(data.clone(), true);
    let (random, too_large) = random_diagrams(&data, &g);
    let mut report = String::new();
    let mut totals: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut bad = Vec::new();
    // The timeline's picture in docs/: everything shown around Belarus from 1991 to 2022.
    let mut blr = render_options(Scope::All);
    blr.focus = Some(entity(&data, "BLR"));
    let timeline = export::period(&g, &blr, d("1991"), d("2022")).expect("reads");
    for (set, cases) in [("docs", docs_diagrams(&data)), ("random", random)] {
        let timeline =
            (set == "docs").then(|| ("docs timeline".to_string(), timeline.union.clone()));
        let drawn = cases
            .into_iter()
            .map(|(what, o)| (what, diagram(&g, &o)))
            .chain(timeline);
        for (what, dg) in drawn {
            let svg = picture::builtin_svg(&dg);
            let c = measure(&what, &svg);
            // Every label is drawn.
            let each = dg.parallel == Parallel::Each;
            let labelled = dg
                .lines
                .iter()
                .filter(|l| {
                    !style::stroke(l, each && dg.hub(&l.to).is_none())
                        .label
                        .is_empty()
                })
                .count();
            assert_eq!(c.labels, labelled, "{what}: labels drawn");
            *totals.entry(set).or_default() += c;
            if c.crossings + c.box_overlaps + c.label_overlaps > 0 {
                bad.push(format!("{what}: {c:?}"));
            }
        }
    }
    for (set, c) in &totals {
        report.push_str(&format!(
            "{set}: {} nodes, {} lines, {} labels: {} lines over a box, {} overlapping boxes, {} overlapping labels\n",
            c.nodes, c.edges, c.labels, c.crossings, c.box_overlaps, c.label_overlaps
        ));
    }
    report.push_str(&format!(
        "random diagrams left out as too large to read: {too_large}\n"
    ));
    let _ = std::io::Write::write_all(&mut std::io::stderr(), report.as_bytes());
    assert!(bad.is_empty(), "{report}{}", bad.join("\n"));
}

#[test]
fn the_docs_pngs_are_small() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/img");
    let mut seen = 0;
    for e in std::fs::read_dir(&dir).expect("docs/img") {
        let path = e.expect("entry").path();
        if path.extension().is_some_and(|x| x == "png") {
            let size = std::fs::metadata(&path).expect("size").len();
            assert!(size < 200 * 1024, "{}: {size} bytes", path.display());
            seen += 1;
        }
    }
    assert!(seen > 0, "no PNG in docs/img");
}
