//! Pictures of a diagram, as SVG or PNG: with Graphviz's `dot` (run through graphviz-rust), or
//! with a built-in pure-Rust renderer that needs nothing installed.
//!
//! The built-in renderer lays the entities out with layout-rs (a layered layout, like `dot`'s),
//! one layout edge per pair of entities, and draws everything itself: shapes and colours per
//! kind as in the DOT output, parallel lines between a pair side by side, counts, the title and a
//! legend. It writes its own SVG (every text escaped), and turns it into PNG with resvg, using
//! DejaVu Sans embedded in the binary (from the `dejavu` crate) so that text shows on a machine
//! with no fonts at all. It does not draw organizations as clusters (memberships are lines).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::{Point, Position};
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;
use resvg::{tiny_skia, usvg};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

use super::graphml::xml_chars;
use super::style::{self, Dash, Legend};
use crate::model::EntityKind;
use crate::query::export::{Diagram, Line, Parallel};

/// The picture formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureFormat {
    /// Scalable vector graphics.
    Svg,
    /// A PNG image.
    Png,
}

/// Why a picture could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PictureError {
    /// Graphviz's `dot` could not be run.
    DotMissing,
    /// `dot` ran and failed, with its message.
    Graphviz(String),
    /// The SVG could not be turned into PNG.
    Raster(String),
}

impl std::fmt::Display for PictureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PictureError::DotMissing => f.write_str("Graphviz's `dot` could not be run"),
            PictureError::Graphviz(m) => write!(f, "Graphviz's `dot` failed: {}", m.trim()),
            PictureError::Raster(m) => write!(f, "cannot make the PNG: {m}"),
        }
    }
}

impl std::error::Error for PictureError {}

/// The picture drawn by Graphviz's `dot` from the DOT of [`super::dot::to_dot`].
pub fn with_graphviz(dg: &Diagram, format: PictureFormat) -> Result<Vec<u8>, PictureError> {
    use graphviz_rust::cmd::{CommandArg, Format};
    let f = match format {
        PictureFormat::Svg => Format::Svg,
        PictureFormat::Png => Format::Png,
    };
    graphviz_rust::exec_dot(super::dot::to_dot(dg), vec![CommandArg::Format(f)]).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            PictureError::DotMissing
        } else {
            PictureError::Graphviz(e.to_string())
        }
    })
}

/// The picture drawn by the built-in renderer.
pub fn builtin(dg: &Diagram, format: PictureFormat) -> Result<Vec<u8>, PictureError> {
    let svg = builtin_svg(dg);
    match format {
        PictureFormat::Svg => Ok(svg.into_bytes()),
        PictureFormat::Png => svg_to_png(&svg),
    }
}

/// The fonts embedded for PNG: DejaVu Sans, regular and bold.
fn fonts() -> [&'static [u8]; 2] {
    [dejavu::sans::regular(), dejavu::sans::bold()]
}

/// The family the built-in SVG asks for first (then common sans-serif fonts).
const FAMILY: &str = "DejaVu Sans";

/// PNG pixels per SVG unit.
const PNG_SCALE: f32 = 2.0;

/// The largest PNG side, in pixels; bigger pictures are scaled down to fit.
const PNG_MAX_SIDE: f32 = 8000.0;

/// An SVG (as written by [`builtin_svg`]) as PNG, on white, with the embedded font.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>, PictureError> {
    let mut opt = usvg::Options {
        font_family: FAMILY.to_string(),
        ..usvg::Options::default()
    };
    {
        let db = opt.fontdb_mut();
        for f in fonts() {
            db.load_font_data(f.to_vec());
        }
        db.set_sans_serif_family(FAMILY);
        db.set_serif_family(FAMILY);
    }
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| PictureError::Raster(e.to_string()))?;
    let size = tree.size();
    let scale = PNG_SCALE
        .min(PNG_MAX_SIDE / size.width())
        .min(PNG_MAX_SIDE / size.height());
    let w = (size.width() * scale).ceil().max(1.0) as u32;
    let h = (size.height() * scale).ceil().max(1.0) as u32;
    let mut pixmap = tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| PictureError::Raster(format!("a picture of {w}×{h} pixels")))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| PictureError::Raster(e.to_string()))
}

/// Text widths, measured with the embedded font.
struct Measure {
    regular: skrifa::FontRef<'static>,
    bold: skrifa::FontRef<'static>,
}

impl Measure {
    fn new() -> Option<Measure> {
        let [r, b] = fonts();
        Some(Measure {
            regular: skrifa::FontRef::new(r).ok()?,
            bold: skrifa::FontRef::new(b).ok()?,
        })
    }

    /// The width of the longest line of `text` at `px` pixels.
    fn width(m: Option<&Measure>, text: &str, px: f32, bold: bool) -> f32 {
        let Some(m) = m else {
            return text
                .lines()
                .map(|l| l.chars().count() as f32 * px * 0.62)
                .fold(0.0, f32::max);
        };
        let font = if bold { &m.bold } else { &m.regular };
        let cmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(px), LocationRef::default());
        text.lines()
            .map(|l| {
                l.chars()
                    .map(|c| {
                        cmap.map(c)
                            .and_then(|g| metrics.advance_width(g))
                            .unwrap_or(px * 0.62)
                    })
                    .sum::<f32>()
            })
            .fold(0.0, f32::max)
    }
}

/// XML text or attribute value: escaped, with characters XML cannot hold replaced.
fn esc(text: &str) -> String {
    quick_xml::escape::escape(xml_chars(text)).into_owned()
}

/// A number for SVG: one decimal, no `-0`.
fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 { "0".into() } else { format!("{r}") }
}

/// `#rrggbb` and an opacity from `#rrggbb` or `#rrggbbaa`.
fn color(c: &str) -> (String, Option<f64>) {
    if c.len() == 9 {
        let a = u8::from_str_radix(&c[7..9], 16).unwrap_or(255);
        (c[..7].to_string(), Some(f64::from(a) / 255.0))
    } else {
        (c.to_string(), None)
    }
}

const LABEL_PX: f32 = 12.0;
const SMALL_PX: f32 = 10.0;
const TITLE_PX: f32 = 16.0;
const MARGIN: f64 = 16.0;
const TITLE_H: f64 = 34.0;
/// Room the layout keeps around each entity (across and along the layers).
const HALO: Point = Point { x: 90.0, y: 18.0 };
/// The most pairs of entities laid out in layers: layout-rs's time grows with the cube of the
/// lines (200 pairs take a few seconds). Larger diagrams are laid out on a grid.
const MAX_LAYERED_PAIRS: usize = 200;
/// Space between parallel lines of one pair.
const SPREAD: f64 = 4.0;

/// What layout-rs reported: each entity's box and each pair's path.
#[derive(Default)]
struct Canvas {
    boxes: BTreeMap<usize, (Point, Point)>,
    paths: BTreeMap<usize, Vec<(Point, Point)>>,
}

fn key(properties: &Option<String>, prefix: char) -> Option<usize> {
    properties.as_deref()?.strip_prefix(prefix)?.parse().ok()
}

impl RenderBackend for Canvas {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        _look: &StyleAttr,
        properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
        if let Some(k) = key(&properties, 'n') {
            self.boxes.insert(k, (xy, size));
        }
    }

    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_circle(&mut self, xy: Point, size: Point, _: &StyleAttr, properties: Option<String>) {
        if let Some(k) = key(&properties, 'n') {
            let corner = Point::new(xy.x - size.x / 2.0, xy.y - size.y / 2.0);
            self.boxes.insert(k, (corner, size));
        }
    }

    fn draw_text(&mut self, _: Point, _: &str, _: &StyleAttr) {}

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _dashed: bool,
        _head: (bool, bool),
        _look: &StyleAttr,
        properties: Option<String>,
        _text: &str,
    ) {
        if let Some(k) = key(&properties, 'p') {
            self.paths.insert(k, path.to_vec());
        }
    }

    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

/// One cubic Bézier segment.
#[derive(Debug, Clone, Copy)]
struct Cubic([Point; 4]);

fn add(a: Point, b: Point) -> Point {
    Point::new(a.x + b.x, a.y + b.y)
}

/// layout-rs's path (`M p0 C c1 c2 p1 S c2 p2 ...`) as explicit cubic segments.
fn cubics(path: &[(Point, Point)]) -> Vec<Cubic> {
    let mut out: Vec<Cubic> = Vec::new();
    if path.len() < 2 {
        return out;
    }
    out.push(Cubic([path[0].0, path[0].1, path[1].0, path[1].1]));
    for seg in &path[2..] {
        let prev = out[out.len() - 1].0;
        // The first control point reflects the previous segment's second one.
        let c1 = Point::new(2.0 * prev[3].x - prev[2].x, 2.0 * prev[3].y - prev[2].y);
        out.push(Cubic([prev[3], c1, seg.0, seg.1]));
    }
    out
}

fn reverse(cs: &[Cubic]) -> Vec<Cubic> {
    cs.iter()
        .rev()
        .map(|c| Cubic([c.0[3], c.0[2], c.0[1], c.0[0]]))
        .collect()
}

fn shift(cs: &[Cubic], by: Point) -> Vec<Cubic> {
    cs.iter().map(|c| Cubic(c.0.map(|p| add(p, by)))).collect()
}

fn path_d(cs: &[Cubic], at: Point) -> String {
    let mut d = String::new();
    if let Some(first) = cs.first() {
        let p = add(first.0[0], at);
        let _ = write!(d, "M{} {}", n(p.x), n(p.y));
    }
    for c in cs {
        let [_, a, b, e] = c.0.map(|p| add(p, at));
        let _ = write!(
            d,
            " C{} {} {} {} {} {}",
            n(a.x),
            n(a.y),
            n(b.x),
            n(b.y),
            n(e.x),
            n(e.y)
        );
    }
    d
}

/// The point a fraction `frac` (0 to 1) along a path, counting its segments as equal.
fn along(cs: &[Cubic], frac: f64) -> Option<Point> {
    if cs.is_empty() {
        return None;
    }
    let pos = frac.clamp(0.0, 1.0) * cs.len() as f64;
    let i = (pos.floor() as usize).min(cs.len() - 1);
    let c = cs[i].0;
    let t = pos - i as f64;
    let u = 1.0 - t;
    let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
    Some(Point::new(
        c.iter().zip(w).map(|(p, k)| p.x * k).sum(),
        c.iter().zip(w).map(|(p, k)| p.y * k).sum(),
    ))
}

/// An arrowhead marker per kind of link, in its colour.
fn markers(out: &mut String, dg: &Diagram) {
    let mut kinds: Vec<_> = dg
        .lines
        .iter()
        .filter(|l| l.directed)
        .map(|l| l.kind)
        .collect();
    for k in &Legend::of(dg).links {
        kinds.push(*k);
    }
    kinds.sort();
    kinds.dedup();
    out.push_str("<defs>\n");
    for k in kinds {
        let s = style::link(k);
        let shape = match s.arrowhead {
            "empty" => format!(
                "<path d=\"M0 0 L10 4 L0 8 z\" fill=\"white\" stroke=\"{}\" stroke-width=\"1.2\"/>",
                s.color
            ),
            "vee" => format!("<path d=\"M0 0 L10 4 L0 8 L3 4 z\" fill=\"{}\"/>", s.color),
            "dot" => format!("<circle cx=\"5\" cy=\"4\" r=\"3.5\" fill=\"{}\"/>", s.color),
            "none" => continue,
            _ => format!("<path d=\"M0 0 L10 4 L0 8 z\" fill=\"{}\"/>", s.color),
        };
        let _ = writeln!(
            out,
            "<marker id=\"head-{}\" viewBox=\"0 0 10 8\" refX=\"10\" refY=\"4\" markerWidth=\"10\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">{shape}</marker>",
            k.as_str()
        );
    }
    out.push_str("</defs>\n");
}

/// The SVG attributes of a stroke.
fn stroke_attrs(s: &style::Stroke) -> String {
    let (c, opacity) = color(&s.color);
    let mut a = format!(
        "fill=\"none\" stroke=\"{c}\" stroke-width=\"{}\"",
        n(f64::from(s.width))
    );
    if let Some(o) = opacity {
        let _ = write!(a, " stroke-opacity=\"{}\"", n(o));
    }
    match s.dash {
        Dash::Solid => {}
        Dash::Dashed => a.push_str(" stroke-dasharray=\"6 4\""),
        Dash::Dotted => a.push_str(" stroke-dasharray=\"1.5 3\" stroke-linecap=\"round\""),
    }
    a
}

/// A node's shape in its box, at offset `at`.
fn shape(out: &mut String, kind: EntityKind, corner: Point, size: Point, width: f32) {
    let s = style::node(kind);
    let (x, y, w, h) = (corner.x, corner.y, size.x, size.y);
    let paint = format!(
        "fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"",
        s.fill,
        s.stroke,
        n(f64::from(width))
    );
    match kind {
        EntityKind::State => {
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" {paint}/>",
                n(x),
                n(y),
                n(w),
                n(h)
            );
        }
        EntityKind::Organization => {
            let d = (h / 2.0).min(w / 4.0);
            let pts = [
                (x, y + h / 2.0),
                (x + d, y),
                (x + w - d, y),
                (x + w, y + h / 2.0),
                (x + w - d, y + h),
                (x + d, y + h),
            ];
            let list: Vec<String> = pts
                .iter()
                .map(|(a, b)| format!("{},{}", n(*a), n(*b)))
                .collect();
            let _ = writeln!(out, "<polygon points=\"{}\" {paint}/>", list.join(" "));
        }
        EntityKind::Person => {
            let _ = writeln!(
                out,
                "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\" {paint}/>",
                n(x + w / 2.0),
                n(y + h / 2.0),
                n(w / 2.0),
                n(h / 2.0)
            );
        }
    }
}

/// A hub's shape: a sheet with a folded corner, outlined in `stroke`.
fn note(out: &mut String, corner: Point, size: Point, stroke: &str, width: f32, dash: Dash) {
    let (x, y, w, h) = (corner.x, corner.y, size.x, size.y);
    let f = 7.0_f64.min(h / 2.0);
    let (c, _) = color(stroke);
    let dashing = match dash {
        Dash::Solid => "",
        Dash::Dashed => " stroke-dasharray=\"5 3\"",
        Dash::Dotted => " stroke-dasharray=\"1.5 3\"",
    };
    let _ = writeln!(
        out,
        "<path d=\"M{} {} L{} {} L{} {} L{} {} L{} {} z M{} {} L{} {} L{} {}\" fill=\"white\" stroke=\"{c}\" stroke-width=\"{}\"{dashing}/>",
        n(x),
        n(y),
        n(x + w - f),
        n(y),
        n(x + w),
        n(y + f),
        n(x + w),
        n(y + h),
        n(x),
        n(y + h),
        n(x + w - f),
        n(y),
        n(x + w - f),
        n(y + f),
        n(x + w),
        n(y + f),
        n(f64::from(width))
    );
}

/// The box size of a hub with this title.
fn hub_size(m: Option<&Measure>, title: &str) -> Point {
    let w = f64::from(Measure::width(m, title, SMALL_PX, false));
    let lines = title.lines().count().max(1) as f64;
    Point::new(w + 22.0, 12.0 * lines + 10.0)
}

/// Text centred on `at`, one `<tspan>` per line.
fn text(out: &mut String, at: Point, body: &str, px: f32, attrs: &str) {
    let lines: Vec<&str> = if body.is_empty() {
        vec![""]
    } else {
        body.lines().collect()
    };
    let step = f64::from(px) * 1.2;
    let first = at.y - step * (lines.len() as f64 - 1.0) / 2.0 + f64::from(px) * 0.35;
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\" {attrs}>",
        n(at.x),
        n(first),
        n(f64::from(px))
    );
    for (i, l) in lines.iter().enumerate() {
        if i == 0 {
            let _ = write!(out, "<tspan x=\"{}\">{}</tspan>", n(at.x), esc(l));
        } else {
            let _ = write!(
                out,
                "<tspan x=\"{}\" dy=\"{}\">{}</tspan>",
                n(at.x),
                n(step),
                esc(l)
            );
        }
    }
    out.push_str("</text>\n");
}

/// The box size of an entity with this label.
fn node_size(m: Option<&Measure>, kind: EntityKind, label: &str, focus: bool) -> Point {
    let w = f64::from(Measure::width(m, label, LABEL_PX, focus));
    let lines = label.lines().count().max(1) as f64;
    let h = 14.0 * lines + 12.0;
    match kind {
        EntityKind::State => Point::new(w + 20.0, h),
        EntityKind::Organization => Point::new(w + 30.0, h + 2.0),
        EntityKind::Person => Point::new(w * 1.15 + 24.0, h + 4.0),
    }
}

/// One row of the legend: a sample and what it means.
enum Sample {
    Entity(EntityKind),
    Hub,
    Line(style::Stroke, Option<&'static str>),
    Note,
}

fn legend_rows(dg: &Diagram) -> Vec<(Sample, String)> {
    let l = Legend::of(dg);
    let mut rows = Vec::new();
    for k in &l.entities {
        rows.push((Sample::Entity(*k), style::node(*k).legend.to_string()));
    }
    let plain = |kind, status, certainty| Line {
        from: String::new(),
        to: String::new(),
        kind,
        directed: true,
        certainty,
        status,
        facts: Vec::new(),
        titles: Vec::new(),
    };
    for k in &l.links {
        let s = style::stroke(&plain(*k, None, None), false);
        let head = (s.arrowhead != "none").then_some(k.as_str());
        rows.push((Sample::Line(s, head), style::link(*k).legend.to_string()));
    }
    if l.possible {
        let mut s = style::stroke(
            &plain(
                crate::graph::LinkKind::Treaty,
                None,
                Some(crate::model::Certainty::Possible),
            ),
            false,
        );
        s.color = "#88888899".into();
        rows.push((Sample::Line(s, None), style::POSSIBLE_LEGEND.to_string()));
    }
    for st in &l.statuses {
        let mut s = style::stroke(
            &plain(crate::graph::LinkKind::Treaty, Some(*st), None),
            false,
        );
        s.color = "#555555".into();
        rows.push((Sample::Line(s, None), style::status_legend(*st).to_string()));
    }
    if l.hubs {
        rows.push((Sample::Hub, style::HUB_LEGEND.to_string()));
    }
    if l.merged {
        rows.push((Sample::Note, style::MERGED_LEGEND.to_string()));
    }
    rows
}

/// The built-in renderer's SVG of the diagram.
pub fn builtin_svg(dg: &Diagram) -> String {
    let m = Measure::new();
    let m = m.as_ref();
    // Entities first, then hubs, numbered in that order.
    let ids = dg
        .nodes
        .iter()
        .map(|nd| nd.id.as_str())
        .chain(dg.hubs.iter().map(|h| h.id.as_str()));
    let index: BTreeMap<&str, usize> = ids.enumerate().map(|(i, id)| (id, i)).collect();
    // Pairs of entities, each with its lines, in a canonical direction.
    let mut pairs: BTreeMap<(usize, usize), Vec<&Line>> = BTreeMap::new();
    for l in &dg.lines {
        let (Some(&a), Some(&b)) = (index.get(l.from.as_str()), index.get(l.to.as_str())) else {
            continue;
        };
        if a != b {
            pairs.entry((a.min(b), a.max(b))).or_default().push(l);
        }
    }
    let mut canvas = Canvas::default();
    let sizes: Vec<(bool, Point)> = dg
        .nodes
        .iter()
        .map(|nd| {
            (
                nd.kind == EntityKind::Person,
                node_size(m, nd.kind, &nd.name, nd.focus),
            )
        })
        .chain(dg.hubs.iter().map(|h| (false, hub_size(m, &h.title))))
        .collect();
    if pairs.len() > MAX_LAYERED_PAIRS {
        grid(&sizes, &pairs, &mut canvas);
    } else if !sizes.is_empty() {
        // layout-rs asserts on graphs it cannot place; such a panic must not reach the user:
        // it is contained here (its message silenced) and the grid layout is used instead.
        let layered = |canvas: &mut Canvas| {
            let mut vg = VisualGraph::new(Orientation::LeftToRight);
            // layout-rs re-checks the whole graph after every edge when validating: quadratic.
            vg.dag.set_validate(false);
            let handles: Vec<_> = sizes
                .iter()
                .copied()
                .enumerate()
                .map(|(i, (round, size))| {
                    let shape = if round {
                        ShapeKind::Circle(String::new())
                    } else {
                        ShapeKind::Box(String::new())
                    };
                    vg.add_node(Element {
                        shape,
                        pos: Position::new(Point::zero(), size, Point::zero(), HALO),
                        look: StyleAttr::simple(),
                        orientation: Orientation::LeftToRight,
                        properties: Some(format!("n{i}")),
                    })
                })
                .collect();
            for (k, (a, b)) in pairs.keys().enumerate() {
                let arrow = Arrow {
                    properties: Some(format!("p{k}")),
                    ..Arrow::default()
                };
                vg.add_edge(arrow, handles[*a], handles[*b]);
            }
            vg.do_it(false, false, false, canvas);
        };
        let mut attempt = Canvas::default();
        let previous_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let placed =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| layered(&mut attempt)));
        std::panic::set_hook(previous_hook);
        if placed.is_ok() {
            canvas = attempt;
        } else {
            grid(&sizes, &pairs, &mut canvas);
        }
    }

    // Bounds of what layout-rs placed.
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut grow = |p: Point| {
        x0 = x0.min(p.x);
        y0 = y0.min(p.y);
        x1 = x1.max(p.x);
        y1 = y1.max(p.y);
    };
    for (c, s) in canvas.boxes.values() {
        grow(*c);
        grow(add(*c, *s));
    }
    for path in canvas.paths.values() {
        for (a, b) in path {
            grow(*a);
            grow(*b);
        }
    }
    let (gw, gh) = if x0 <= x1 {
        (x1 - x0, y1 - y0)
    } else {
        (0.0, 0.0)
    };
    let at = if x0 <= x1 {
        Point::new(MARGIN - x0, MARGIN + TITLE_H - y0)
    } else {
        Point::new(MARGIN, MARGIN + TITLE_H)
    };

    // The legend, beside the graph.
    let rows = legend_rows(dg);
    let row_h = 18.0;
    let legend_w = rows
        .iter()
        .map(|(_, t)| f64::from(Measure::width(m, t, SMALL_PX, false)) + 64.0)
        .fold(0.0, f64::max);
    let legend_h = if rows.is_empty() {
        0.0
    } else {
        rows.len() as f64 * row_h + 28.0
    };
    let legend_x = MARGIN + gw + if gw > 0.0 { 28.0 } else { 0.0 };
    let empty_note = style::EMPTY_NOTE;
    let note_w = if dg.is_empty() {
        f64::from(Measure::width(m, empty_note, LABEL_PX, false))
    } else {
        0.0
    };
    let title_w = f64::from(Measure::width(m, &dg.title, TITLE_PX, true));
    let content_w = (legend_x + legend_w).max(MARGIN + note_w);
    let width = (content_w + MARGIN).max(title_w + 2.0 * MARGIN).ceil();
    let body_h = gh.max(legend_h).max(if dg.is_empty() { 30.0 } else { 0.0 });
    let height = (MARGIN + TITLE_H + body_h + MARGIN).ceil();

    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FAMILY}, Helvetica, Arial, sans-serif\">",
        w = n(width),
        h = n(height)
    );
    let _ = writeln!(out, "<title>{}</title>", esc(&dg.title));
    markers(&mut out, dg);
    let _ = writeln!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"white\"/>",
        n(width),
        n(height)
    );
    text(
        &mut out,
        Point::new(width / 2.0, MARGIN + TITLE_H / 2.0 - 4.0),
        &dg.title,
        TITLE_PX,
        "font-weight=\"bold\" fill=\"#222222\"",
    );
    if dg.is_empty() {
        text(
            &mut out,
            Point::new(MARGIN + note_w / 2.0, MARGIN + TITLE_H + 12.0),
            empty_note,
            LABEL_PX,
            "fill=\"#555555\"",
        );
    }

    // Lines first, under the entities.
    let each = dg.parallel == Parallel::Each;
    out.push_str("<g id=\"lines\">\n");
    for (k, ((a, _), lines)) in pairs.iter().enumerate() {
        let Some(path) = canvas.paths.get(&k) else {
            continue;
        };
        // The path in the pair's canonical direction, from entity `a` (the layout turns some
        // edges around to keep its layers acyclic).
        let mut base = cubics(path);
        let starts_at_a = canvas
            .boxes
            .get(a)
            .is_some_and(|(c, s)| near_box(path.first().map(|p| p.0), *c, *s));
        if !starts_at_a {
            base = reverse(&base);
        }
        let (Some(first), Some(last)) = (base.first(), base.last()) else {
            continue;
        };
        let (p, q) = (first.0[0], last.0[3]);
        let len = ((q.x - p.x).powi(2) + (q.y - p.y).powi(2)).sqrt().max(1.0);
        let normal = Point::new(-(q.y - p.y) / len, (q.x - p.x) / len);
        let count = lines.len() as f64;
        for (i, l) in lines.iter().enumerate() {
            let off = (i as f64 - (count - 1.0) / 2.0) * SPREAD;
            let mut cs = shift(&base, Point::new(normal.x * off, normal.y * off));
            if index.get(l.from.as_str()) != Some(a) {
                cs = reverse(&cs);
            }
            let s = style::stroke(l, each && dg.hub(&l.to).is_none());
            let mut attrs = stroke_attrs(&s);
            if l.directed && s.arrowhead != "none" {
                let _ = write!(attrs, " marker-end=\"url(#head-{})\"", l.kind.as_str());
            }
            let tip: Vec<String> = l
                .facts
                .iter()
                .zip(&l.titles)
                .map(|(f, t)| format!("{}: {f}: {t}", l.kind))
                .collect();
            let _ = writeln!(
                out,
                "<g><title>{}</title><path d=\"{}\" {attrs}/></g>",
                esc(&tip.join("\n")),
                path_d(&cs, at)
            );
            // Labels of parallel lines spread along the path, so that they do not overlap.
            let frac = (i as f64 + 1.0) / (count + 1.0);
            if !s.label.is_empty()
                && let Some(mid) = along(&cs, frac)
            {
                let (c, _) = color(style::link(l.kind).color);
                text(
                    &mut out,
                    add(mid, at),
                    &s.label,
                    SMALL_PX,
                    &format!(
                        "fill=\"{c}\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\""
                    ),
                );
            }
        }
    }
    out.push_str("</g>\n<g id=\"entities\">\n");
    for (i, nd) in dg.nodes.iter().enumerate() {
        let Some((c, s)) = canvas.boxes.get(&i) else {
            continue;
        };
        let width = if nd.focus { style::FOCUS_WIDTH } else { 1.2 };
        let _ = writeln!(
            out,
            "<g><title>{}</title>",
            esc(&format!(
                "{} ({}), {}",
                nd.name,
                nd.id,
                style::node(nd.kind).legend
            ))
        );
        shape(&mut out, nd.kind, add(*c, at), *s, width);
        let centre = add(add(*c, at), Point::new(s.x / 2.0, s.y / 2.0));
        let weight = if nd.focus {
            " font-weight=\"bold\""
        } else {
            ""
        };
        text(
            &mut out,
            centre,
            &nd.name,
            LABEL_PX,
            &format!("fill=\"#1a1a1a\"{weight}"),
        );
        out.push_str("</g>\n");
    }
    for (j, h) in dg.hubs.iter().enumerate() {
        let Some((c, s)) = canvas.boxes.get(&(dg.nodes.len() + j)) else {
            continue;
        };
        let _ = writeln!(
            out,
            "<g><title>{}</title>",
            esc(&format!("{}: {}: {}", h.kind, h.id, h.title))
        );
        let (width, dash) = style::hub(h);
        note(
            &mut out,
            add(*c, at),
            *s,
            style::link(h.kind).color,
            width,
            dash,
        );
        let centre = add(add(*c, at), Point::new(s.x / 2.0, s.y / 2.0));
        let (c, _) = color(style::link(h.kind).color);
        text(
            &mut out,
            centre,
            &h.title,
            SMALL_PX,
            &format!("fill=\"{c}\""),
        );
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");

    if !rows.is_empty() {
        let top = MARGIN + TITLE_H;
        let _ = writeln!(
            out,
            "<g id=\"legend\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"white\" stroke=\"#bbbbbb\"/>",
            n(legend_x),
            n(top),
            n(legend_w),
            n(legend_h)
        );
        text(
            &mut out,
            Point::new(legend_x + legend_w / 2.0, top + 12.0),
            "Legend",
            SMALL_PX + 1.0,
            "fill=\"#555555\"",
        );
        for (i, (sample, label)) in rows.iter().enumerate() {
            let y = top + 30.0 + i as f64 * row_h;
            let sx = legend_x + 8.0;
            match sample {
                Sample::Entity(k) => shape(
                    &mut out,
                    *k,
                    Point::new(sx, y - 6.0),
                    Point::new(36.0, 12.0),
                    1.0,
                ),
                Sample::Line(s, head) => {
                    let mut attrs = stroke_attrs(s);
                    if let Some(h) = head {
                        let _ = write!(attrs, " marker-end=\"url(#head-{h})\"");
                    }
                    let _ = writeln!(
                        out,
                        "<path d=\"M{} {} L{} {}\" {attrs}/>",
                        n(sx),
                        n(y),
                        n(sx + 36.0),
                        n(y)
                    );
                }
                Sample::Hub => note(
                    &mut out,
                    Point::new(sx + 6.0, y - 6.0),
                    Point::new(24.0, 12.0),
                    "#555555",
                    1.0,
                    Dash::Solid,
                ),
                Sample::Note => {}
            }
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#333333\">{}</text>",
                n(sx + 46.0),
                n(y + f64::from(SMALL_PX) * 0.35),
                n(f64::from(SMALL_PX)),
                esc(label)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// A grid layout for diagrams too large for layout-rs: entities in rows, in their order, and a
/// straight line per pair from box edge to box edge.
fn grid(sizes: &[(bool, Point)], pairs: &BTreeMap<(usize, usize), Vec<&Line>>, c: &mut Canvas) {
    let cols = (sizes.len() as f64).sqrt().ceil().max(1.0) as usize;
    let cell_w = sizes.iter().map(|(_, s)| s.x).fold(0.0, f64::max) + 60.0;
    let mut y = 0.0;
    for (r, row) in sizes.chunks(cols).enumerate() {
        let row_h = row.iter().map(|(_, s)| s.y).fold(0.0, f64::max) + 60.0;
        for (k, (_, s)) in row.iter().enumerate() {
            let cx = k as f64 * cell_w + cell_w / 2.0;
            let cy = y + row_h / 2.0;
            c.boxes.insert(
                r * cols + k,
                (Point::new(cx - s.x / 2.0, cy - s.y / 2.0), *s),
            );
        }
        y += row_h;
    }
    let centre = |i: usize| {
        c.boxes
            .get(&i)
            .map(|(p, s)| (add(*p, Point::new(s.x / 2.0, s.y / 2.0)), *s))
    };
    let mut paths = BTreeMap::new();
    for (k, (a, b)) in pairs.keys().enumerate() {
        let (Some((pa, sa)), Some((pb, sb))) = (centre(*a), centre(*b)) else {
            continue;
        };
        let (dx, dy) = (pb.x - pa.x, pb.y - pa.y);
        // Where the line from the centre leaves a box of `size`, as a fraction of the line.
        let exit = |size: Point| {
            let tx = if dx == 0.0 {
                f64::MAX
            } else {
                size.x / 2.0 / dx.abs()
            };
            let ty = if dy == 0.0 {
                f64::MAX
            } else {
                size.y / 2.0 / dy.abs()
            };
            tx.min(ty).min(0.45)
        };
        let (ta, tb) = (exit(sa), 1.0 - exit(sb));
        let at = |t: f64| Point::new(pa.x + dx * t, pa.y + dy * t);
        let third = (tb - ta) / 3.0;
        paths.insert(k, vec![(at(ta), at(ta + third)), (at(tb - third), at(tb))]);
    }
    c.paths = paths;
}

/// Whether point `p` lies on or near the box at `corner` of `size`.
fn near_box(p: Option<Point>, corner: Point, size: Point) -> bool {
    let Some(p) = p else { return false };
    let slack = 2.0;
    p.x >= corner.x - slack
        && p.x <= corner.x + size.x + slack
        && p.y >= corner.y - slack
        && p.y <= corner.y + size.y + slack
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::LinkKind;
    use crate::model::Date;
    use crate::query::export::{Node, Scope};

    fn diagram(n: usize, all_pairs: bool) -> Diagram {
        let nodes: Vec<Node> = (0..n)
            .map(|i| Node {
                id: format!("S{i:02}"),
                name: format!("State {i}"),
                kind: EntityKind::State,
                org_kind: None,
                focus: i == 0,
                depth: None,
            })
            .collect();
        let mut lines = Vec::new();
        for i in 0..n {
            for j in i + 1..n {
                if all_pairs || j == i + 1 {
                    lines.push(Line {
                        from: nodes[i].id.clone(),
                        to: nodes[j].id.clone(),
                        kind: LinkKind::Sanction,
                        directed: true,
                        certainty: None,
                        status: None,
                        facts: vec![format!("f{i}-{j}")],
                        titles: vec!["t".into()],
                    });
                }
            }
        }
        Diagram {
            title: "Test".into(),
            scope: Scope::On {
                on: Date::parse("2021").expect("date"),
            },
            focus: None,
            depth: None,
            kinds: Vec::new(),
            points_from: None,
            points_to: None,
            parallel: Parallel::Merge,
            nodes,
            edges: Vec::new(),
            lines,
            hubs: Vec::new(),
            clusters: Vec::new(),
        }
    }

    fn paths(svg: &str) -> usize {
        let doc = usvg::roxmltree::Document::parse(svg).expect("XML");
        doc.descendants()
            .filter(|n| {
                n.has_tag_name("path") && n.ancestors().any(|a| a.attribute("id") == Some("lines"))
            })
            .count()
    }

    #[test]
    fn an_empty_diagram_is_a_titled_picture() {
        let dg = diagram(0, false);
        let svg = builtin_svg(&dg);
        assert!(svg.contains(style::EMPTY_NOTE), "{svg}");
        assert_eq!(paths(&svg), 0);
        let png = svg_to_png(&svg).expect("PNG");
        assert!(png.starts_with(b"\x89PNG"));
    }

    #[test]
    fn a_chain_is_laid_out_in_layers_and_a_clique_on_a_grid() {
        let dg = diagram(5, false);
        assert_eq!(paths(&builtin_svg(&dg)), 4);
        // 30 entities, 435 pairs: past what layout-rs does in reasonable time.
        let dg = diagram(30, true);
        assert!(dg.lines.len() > MAX_LAYERED_PAIRS);
        assert_eq!(paths(&builtin_svg(&dg)), 435);
    }

    #[test]
    fn the_same_diagram_gives_the_same_svg() {
        let dg = diagram(6, false);
        assert_eq!(builtin_svg(&dg), builtin_svg(&dg));
    }
}
