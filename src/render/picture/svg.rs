//! The built-in renderer's SVG, written from a laid-out [`Drawing`] with Graphviz's structure:
//! each box a `<g class="node">` whose `<title>` is its id, holding one shape (`rect`,
//! `polygon`, `ellipse` or `path`) and its name; each line a `<g class="edge">` whose `<title>`
//! is `FROM->TO`, holding its `path` and its label; each cluster a `<g class="cluster">`.
//! Tooltips are `<title>`s of the shapes and paths themselves. Every text is escaped.

use std::fmt::Write as _;

use super::layout::{Drawing, Placed, Pt, frame_label, hexagon_tip};
use super::{FAMILY, FRAME_LABEL_PX, LABEL_PX, Measure, SMALL_PX, TITLE_PX};
use crate::graph::LinkKind;
use crate::model::{Certainty, EntityKind};
use crate::query::export::{Diagram, Line, Parallel};
use crate::render::graphml::xml_chars;
use crate::render::style::{self, Dash, Legend};

const MARGIN: f64 = 16.0;
const TITLE_H: f64 = 34.0;

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
            "dot" => format!("<circle cx=\"6\" cy=\"4\" r=\"3.5\" fill=\"{}\"/>", s.color),
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

/// `<title>` text as the content of an element, or nothing.
fn tip(tooltip: Option<&str>) -> String {
    tooltip.map_or_else(String::new, |t| format!("<title>{}</title>", esc(t)))
}

/// An entity's shape in box `b`, with its tooltip.
fn shape(out: &mut String, kind: EntityKind, b: &Placed, width: f32, tooltip: Option<&str>) {
    let s = style::node(kind);
    let (x, y, w, h) = (b.x, b.y, b.w, b.h);
    let paint = format!(
        "fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"",
        s.fill,
        s.stroke,
        n(f64::from(width))
    );
    let tip = tip(tooltip);
    match kind {
        EntityKind::State => {
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" {paint}>{tip}</rect>",
                n(x),
                n(y),
                n(w),
                n(h)
            );
        }
        EntityKind::Organization => {
            let d = hexagon_tip(w, h);
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
            let _ = writeln!(
                out,
                "<polygon points=\"{}\" {paint}>{tip}</polygon>",
                list.join(" ")
            );
        }
        EntityKind::Person => {
            let _ = writeln!(
                out,
                "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\" {paint}>{tip}</ellipse>",
                n(x + w / 2.0),
                n(y + h / 2.0),
                n(w / 2.0),
                n(h / 2.0)
            );
        }
    }
}

/// A hub's shape: a sheet with a folded corner, outlined in `stroke`, with its tooltip.
fn note(out: &mut String, b: &Placed, stroke: &str, width: f32, dash: Dash, tooltip: Option<&str>) {
    let (x, y, w, h) = (b.x, b.y, b.w, b.h);
    let f = 7.0_f64.min(h / 2.0);
    let (c, _) = color(stroke);
    let dashing = match dash {
        Dash::Solid => "",
        Dash::Dashed => " stroke-dasharray=\"5 3\"",
        Dash::Dotted => " stroke-dasharray=\"1.5 3\"",
    };
    let _ = writeln!(
        out,
        "<path d=\"M{} {} L{} {} L{} {} L{} {} L{} {} z M{} {} L{} {} L{} {}\" fill=\"white\" stroke=\"{c}\" stroke-width=\"{}\"{dashing}>{}</path>",
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
        n(f64::from(width)),
        tip(tooltip)
    );
}

/// Text centred on `at`, one `<tspan>` per line; the pointer passes through it to the shape
/// under it (whose tooltip then shows).
fn text(out: &mut String, at: Pt, body: &str, px: f32, attrs: &str) {
    let lines: Vec<&str> = if body.is_empty() {
        vec![""]
    } else {
        body.lines().collect()
    };
    let step = f64::from(px) * 1.2;
    let first = at.y - step * (lines.len() as f64 - 1.0) / 2.0 + f64::from(px) * 0.35;
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\" pointer-events=\"none\" {attrs}>",
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

/// A path through cubic segments.
fn path_d(cs: &[[Pt; 4]], at: Pt) -> String {
    let mut d = String::new();
    if let Some(first) = cs.first() {
        let _ = write!(d, "M{} {}", n(first[0].x + at.x), n(first[0].y + at.y));
    }
    for c in cs {
        let [_, a, b, e] = c.map(|p| Pt {
            x: p.x + at.x,
            y: p.y + at.y,
        });
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

/// One row of the legend: a sample and what it means.
enum Sample {
    Entity(EntityKind),
    Hub,
    Cluster,
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
            &plain(LinkKind::Treaty, None, Some(Certainty::Possible)),
            false,
        );
        s.color = "#88888899".into();
        rows.push((Sample::Line(s, None), style::POSSIBLE_LEGEND.to_string()));
    }
    for st in &l.statuses {
        let mut s = style::stroke(&plain(LinkKind::Treaty, Some(*st), None), false);
        s.color = "#555555".into();
        rows.push((Sample::Line(s, None), style::status_legend(*st).to_string()));
    }
    if l.hubs {
        rows.push((Sample::Hub, style::HUB_LEGEND.to_string()));
    }
    if l.clusters {
        rows.push((Sample::Cluster, style::CLUSTER_LEGEND.to_string()));
    }
    if l.merged {
        rows.push((Sample::Note, style::MERGED_LEGEND.to_string()));
    }
    rows
}

/// A cluster's frame, with its name at the top.
fn frame(out: &mut String, b: &Placed, name: &str) {
    let stroke = style::node(EntityKind::Organization).stroke;
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"{}\" stroke=\"{stroke}\" stroke-width=\"1\"/>",
        n(b.x),
        n(b.y),
        n(b.w),
        n(b.h),
        style::CLUSTER_FILL
    );
    text(
        out,
        Pt {
            x: b.x + b.w / 2.0,
            y: b.y + 10.0 + f64::from(FRAME_LABEL_PX) * 0.5,
        },
        &frame_label(name),
        FRAME_LABEL_PX,
        &format!("fill=\"{stroke}\""),
    );
}

/// The SVG of diagram `dg`, laid out as `d`.
pub(super) fn write(dg: &Diagram, d: &Drawing, m: Option<&Measure>) -> String {
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
    let (gw, gh) = (d.width, d.height);
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
    let at = Pt {
        x: MARGIN,
        y: MARGIN + TITLE_H,
    };
    let moved = |b: &Placed| Placed {
        x: b.x + at.x,
        y: b.y + at.y,
        ..*b
    };

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
        Pt {
            x: width / 2.0,
            y: MARGIN + TITLE_H / 2.0 - 4.0,
        },
        &dg.title,
        TITLE_PX,
        "font-weight=\"bold\" fill=\"#222222\"",
    );
    if dg.is_empty() {
        text(
            &mut out,
            Pt {
                x: MARGIN + note_w / 2.0,
                y: MARGIN + TITLE_H + 12.0,
            },
            empty_note,
            LABEL_PX,
            "fill=\"#555555\"",
        );
    }

    out.push_str("<g id=\"graph0\" class=\"graph\">\n");
    // Clusters first, under everything.
    for (k, (c, b)) in dg.clusters.iter().zip(&d.frames).enumerate() {
        let Some(b) = b else { continue };
        let _ = writeln!(
            out,
            "<g id=\"clust{}\" class=\"cluster\"><title>cluster org {}</title>",
            k + 1,
            esc(&c.org)
        );
        frame(&mut out, &moved(b), &c.name);
        out.push_str("</g>\n");
    }
    // Lines, under the boxes they end at.
    let each = dg.parallel == Parallel::Each;
    for (k, (l, r)) in dg.lines.iter().zip(&d.lines).enumerate() {
        let Some(r) = r else { continue };
        let s = style::stroke(l, each && dg.hub(&l.to).is_none());
        let mut attrs = stroke_attrs(&s);
        if l.directed && s.arrowhead != "none" {
            let _ = write!(attrs, " marker-end=\"url(#head-{})\"", l.kind.as_str());
        }
        let tooltip: Vec<String> = l
            .facts
            .iter()
            .zip(&l.titles)
            .map(|(f, t)| format!("{}: {f}: {t}", l.kind))
            .collect();
        let _ = writeln!(
            out,
            "<g id=\"edge{}\" class=\"edge\"><title>{}</title>\n<path d=\"{}\" {attrs}>{}</path>",
            k + 1,
            esc(&format!("{}->{}", l.from, l.to)),
            path_d(&r.path, at),
            tip(Some(&tooltip.join("\n")))
        );
        if let Some(p) = r.label
            && !s.label.is_empty()
        {
            let (c, _) = color(style::link(l.kind).color);
            text(
                &mut out,
                Pt {
                    x: p.x + at.x,
                    y: p.y + at.y,
                },
                &s.label,
                SMALL_PX,
                &format!("fill=\"{c}\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\""),
            );
        }
        out.push_str("</g>\n");
    }
    // Entities, then hubs.
    for (k, (nd, b)) in dg.nodes.iter().zip(&d.boxes).enumerate() {
        let Some(b) = b else { continue };
        let b = moved(b);
        let width = if nd.focus { style::FOCUS_WIDTH } else { 1.2 };
        let _ = writeln!(
            out,
            "<g id=\"node{}\" class=\"node\"><title>{}</title>",
            k + 1,
            esc(&nd.id)
        );
        let tooltip = format!("{} ({}), {}", nd.name, nd.id, style::node(nd.kind).legend);
        shape(&mut out, nd.kind, &b, width, Some(&tooltip));
        let weight = if nd.focus {
            " font-weight=\"bold\""
        } else {
            ""
        };
        text(
            &mut out,
            b_centre(&b),
            &nd.name,
            LABEL_PX,
            &format!("fill=\"#1a1a1a\"{weight}"),
        );
        out.push_str("</g>\n");
    }
    for (j, h) in dg.hubs.iter().enumerate() {
        let Some(Some(b)) = d.boxes.get(dg.nodes.len() + j) else {
            continue;
        };
        let b = moved(b);
        let _ = writeln!(
            out,
            "<g id=\"node{}\" class=\"node\"><title>{}</title>",
            dg.nodes.len() + j + 1,
            esc(&h.id)
        );
        let (width, dash) = style::hub(h);
        let tooltip = format!("{}: {}: {}", h.kind, h.id, h.title);
        note(
            &mut out,
            &b,
            style::link(h.kind).color,
            width,
            dash,
            Some(&tooltip),
        );
        text(
            &mut out,
            b_centre(&b),
            &h.title,
            SMALL_PX,
            &format!("fill=\"{}\"", style::HUB_TEXT),
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
            Pt {
                x: legend_x + legend_w / 2.0,
                y: top + 12.0,
            },
            "Legend",
            SMALL_PX + 1.0,
            "fill=\"#555555\"",
        );
        for (i, (sample, label)) in rows.iter().enumerate() {
            let y = top + 30.0 + i as f64 * row_h;
            let sx = legend_x + 8.0;
            let sample_box = Placed {
                x: sx,
                y: y - 6.0,
                w: 36.0,
                h: 12.0,
            };
            match sample {
                Sample::Entity(k) => shape(&mut out, *k, &sample_box, 1.0, None),
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
                    &Placed {
                        x: sx + 6.0,
                        w: 24.0,
                        ..sample_box
                    },
                    "#555555",
                    1.0,
                    Dash::Solid,
                    None,
                ),
                Sample::Cluster => {
                    let _ = writeln!(
                        out,
                        "<rect x=\"{}\" y=\"{}\" width=\"36\" height=\"12\" rx=\"4\" fill=\"{}\" stroke=\"{}\"/>",
                        n(sx),
                        n(y - 6.0),
                        style::CLUSTER_FILL,
                        style::node(EntityKind::Organization).stroke
                    );
                }
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

fn b_centre(b: &Placed) -> Pt {
    Pt {
        x: b.x + b.w / 2.0,
        y: b.y + b.h / 2.0,
    }
}
