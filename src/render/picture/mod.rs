//! Pictures of a diagram, as SVG or PNG: with Graphviz's `dot` (run through graphviz-rust), or
//! with a built-in pure-Rust renderer that needs nothing installed.
//!
//! The built-in renderer lays the diagram out in layers (`layout`: rust-sugiyama places the
//! boxes, and the lines are routed around them) and draws everything itself (`svg`): shapes
//! and colours per kind as in the DOT output, organizations as frames around their members,
//! lines each with its own ends, counts, the title and a legend. Its SVG has Graphviz's
//! structure (a `<g class="node">` titled with its id per box, a `<g class="edge">` titled
//! `A->B` per line), every text escaped; resvg turns it into PNG, with DejaVu Sans embedded
//! in the binary (from the `dejavu` crate) so that text shows on a machine with no fonts at
//! all. A diagram too large to be read is not drawn unless asked for ([`too_large`]).

mod layout;
mod svg;

use resvg::{tiny_skia, usvg};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

use crate::model::EntityKind;
use crate::query::export::Diagram;

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

/// The built-in renderer's SVG of the diagram.
pub fn builtin_svg(dg: &Diagram) -> String {
    let m = Measure::new();
    let m = m.as_ref();
    svg::write(dg, &layout::lay_out(dg, m), m)
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
const PNG_SCALE: f32 = 1.5;

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
    encode_indexed(&pixmap)
}

/// A pixmap drawn on white (so opaque) as a PNG of at most 256 colours (chosen by
/// color_quant's NeuQuant), compressed hard: a picture is flat colours and their
/// anti-aliased edges, and a palette makes its file a third of an RGBA one.
fn encode_indexed(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, PictureError> {
    let rgba = pixmap.data();
    let quant = color_quant::NeuQuant::new(PNG_SAMPLING, 256, rgba);
    // Each distinct colour looked up once.
    let mut index: std::collections::HashMap<[u8; 4], u8> = std::collections::HashMap::new();
    let pixels: Vec<u8> = rgba
        .chunks_exact(4)
        .map(|p| {
            let key = [p[0], p[1], p[2], p[3]];
            *index
                .entry(key)
                .or_insert_with(|| u8::try_from(quant.index_of(p)).unwrap_or(0))
        })
        .collect();
    let mut out = Vec::new();
    let raster = |e: png::EncodingError| PictureError::Raster(e.to_string());
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(quant.color_map_rgb());
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header().map_err(raster)?;
    writer.write_image_data(&pixels).map_err(raster)?;
    writer.finish().map_err(raster)?;
    Ok(out)
}

/// NeuQuant's sampling: it learns the palette from one pixel in this many.
const PNG_SAMPLING: i32 = 5;

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

/// The most boxes (entities and hubs) a picture may have and still be read.
pub const MAX_BOXES: usize = 80;

/// The most lines a picture may have and still be read.
pub const MAX_LINES: usize = 200;

/// Why diagram `dg` is too large to be read as a picture, if it is: more than [`MAX_BOXES`]
/// boxes or [`MAX_LINES`] lines. Past that, a picture that shows every box at a size its
/// names can be read at no longer fits a screen or a page, and its lines cannot be told apart.
pub fn too_large(dg: &Diagram) -> Option<String> {
    let boxes = dg.nodes.len() + dg.hubs.len();
    let lines = dg.lines.len();
    (boxes > MAX_BOXES || lines > MAX_LINES).then(|| {
        format!(
            "this diagram has {boxes} boxes (entities and hubs) and {lines} lines, more than a picture can show readably (at most {MAX_BOXES} boxes and {MAX_LINES} lines)"
        )
    })
}

const LABEL_PX: f32 = 12.0;
const SMALL_PX: f32 = 10.0;
const TITLE_PX: f32 = 16.0;
/// The size of the name on a cluster's frame.
const FRAME_LABEL_PX: f32 = 11.0;

/// The box size of a hub with this title.
fn hub_size(m: Option<&Measure>, title: &str) -> (f64, f64) {
    let w = f64::from(Measure::width(m, title, SMALL_PX, false));
    let lines = title.lines().count().max(1) as f64;
    (w + 22.0, 12.0 * lines + 12.0)
}

/// The box size of an entity with this label.
fn node_size(m: Option<&Measure>, kind: EntityKind, label: &str, focus: bool) -> (f64, f64) {
    let w = f64::from(Measure::width(m, label, LABEL_PX, focus));
    let lines = label.lines().count().max(1) as f64;
    let h = 14.0 * lines + 12.0;
    match kind {
        EntityKind::State => (w + 20.0, h),
        EntityKind::Organization => (w + 30.0, h + 2.0),
        EntityKind::Person => (w * 1.15 + 24.0, h + 4.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::LinkKind;
    use crate::model::Date;
    use crate::query::export::{Line, Node, Parallel, Scope};

    /// `n` states, a sanction from each to the next (or between every pair).
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

    /// The `d` of every line's path.
    fn paths(svg: &str) -> Vec<String> {
        let doc = usvg::roxmltree::Document::parse(svg).expect("XML");
        doc.descendants()
            .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some("edge"))
            .filter_map(|g| g.children().find(|c| c.has_tag_name("path")))
            .filter_map(|p| p.attribute("d").map(str::to_string))
            .collect()
    }

    #[test]
    fn an_empty_diagram_is_a_titled_picture() {
        let dg = diagram(0, false);
        let svg = builtin_svg(&dg);
        assert!(svg.contains(crate::render::style::EMPTY_NOTE), "{svg}");
        assert!(paths(&svg).is_empty());
        let png = svg_to_png(&svg).expect("PNG");
        assert!(png.starts_with(b"\x89PNG"));
    }

    #[test]
    fn a_chain_runs_left_to_right_one_layer_a_link() {
        let dg = diagram(5, false);
        let svg = builtin_svg(&dg);
        let ds = paths(&svg);
        assert_eq!(ds.len(), 4);
        // Each sanction runs from a box to the one on its right: its path starts left of
        // where it ends.
        for d in &ds {
            let nums: Vec<f64> = d
                .split(|c: char| c.is_ascii_alphabetic() || c.is_whitespace())
                .filter_map(|s| s.parse().ok())
                .collect();
            let (x0, x1) = (nums[0], nums[nums.len() - 2]);
            assert!(x0 + 50.0 < x1, "{d}");
        }
    }

    #[test]
    fn a_clique_is_laid_out_and_counted_too_large() {
        // 30 states, 435 pairs: drawn when asked, but past what can be read.
        let dg = diagram(30, true);
        assert!(too_large(&dg).is_some());
        assert!(too_large(&diagram(10, true)).is_none());
        assert_eq!(paths(&builtin_svg(&dg)).len(), 435);
    }

    #[test]
    fn the_same_diagram_gives_the_same_svg() {
        let dg = diagram(6, true);
        assert_eq!(builtin_svg(&dg), builtin_svg(&dg));
    }
}
