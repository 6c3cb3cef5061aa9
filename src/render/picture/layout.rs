//! The built-in renderer's layout: boxes in layers from left to right (senders of sanctions and
//! speakers before what they act on, the focus before its partners, organizations, treaties and
//! targets), ordered within each layer to reduce crossings, and every line routed so that it
//! passes over no box but its own two ends.
//!
//! rust-sugiyama does the layered layout, on a petgraph `StableDiGraph` built from the
//! diagram's boxes and lines (an organization drawn as a cluster is one box holding its
//! members): once to put the boxes in layers, then again on the same graph made proper (a line
//! across several layers becomes a chain through one slot in each), to order each layer and
//! place its boxes and slots. The routing is ours: a line leaves its box sideways at a port of
//! its own (the ports of one side spread along it, in the order of where their lines go), runs
//! straight across each layer it passes (through its slot, where there is no box), and curves
//! only in the gaps between layers, where there is no box either. A label is put beside its
//! line in a gap, where it meets no box, and where it meets no other label; a gap too narrow
//! for its labels is widened.

use std::collections::BTreeMap;

use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use rust_sugiyama::configure::{Config, CrossingMinimization, RankingType};

use super::{FRAME_LABEL_PX, Measure, SMALL_PX, hub_size, node_size};
use crate::graph::LinkKind;
use crate::model::EntityKind;
use crate::query::export::{Diagram, Parallel};
use crate::render::style;

/// A point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Pt {
    pub x: f64,
    pub y: f64,
}

fn pt(x: f64, y: f64) -> Pt {
    Pt { x, y }
}

/// One cubic Bézier segment: start, two control points, end.
pub(super) type Cubic = [Pt; 4];

/// A box: its top left corner and size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Placed {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Placed {
    fn centre(&self) -> Pt {
        pt(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    fn moved(self, by: Pt) -> Placed {
        Placed {
            x: self.x + by.x,
            y: self.y + by.y,
            ..self
        }
    }
}

/// A line as drawn: its path from its `from` end to its `to` end, and where its label is
/// centred.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Routed {
    pub path: Vec<Cubic>,
    pub label: Option<Pt>,
}

/// A picture laid out, its origin at the top left of the graph.
#[derive(Debug, Clone, Default)]
pub(super) struct Drawing {
    /// The box of each entity, then of each hub (in the diagram's order).
    pub boxes: Vec<Option<Placed>>,
    /// The frame of each cluster (in the diagram's order).
    pub frames: Vec<Option<Placed>>,
    /// Each line, in the diagram's order.
    pub lines: Vec<Option<Routed>>,
    pub width: f64,
    pub height: f64,
}

/// Space between two boxes of a layer.
const BOX_SEP: f64 = 14.0;
/// Space between a box and a line's slot, and between two slots.
const SLOT_SEP: f64 = 7.0;
/// The straight piece of a line beside the layer it leaves or enters.
const STUB: f64 = 8.0;
/// Space between the ports of one side of a box where an arrowhead ends (as tall as one).
const PORT_GAP: f64 = 8.0;
/// Space between the ports of one side of a box where only plain lines end.
const PLAIN_PORT_GAP: f64 = 5.0;
/// Padding inside a cluster's frame, around its members.
const FRAME_PAD: f64 = 10.0;
/// Space between the members of a cluster.
const FRAME_SEP: f64 = 10.0;
/// The narrowest gap between two layers.
const MIN_GAP: f64 = 60.0;
/// Space between separate parts of the picture.
const PART_SEP: f64 = 36.0;
/// How many times the gaps are widened for labels before giving up.
const WIDEN_ROUNDS: usize = 8;

/// The shape a box is drawn as, for where a line meets its outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outline {
    Rect,
    Hexagon,
    Ellipse,
}

impl Outline {
    fn of(kind: EntityKind) -> Outline {
        match kind {
            EntityKind::State => Outline::Rect,
            EntityKind::Organization => Outline::Hexagon,
            EntityKind::Person => Outline::Ellipse,
        }
    }

    /// The part of a side, from the top and from the bottom, where no port goes (corners,
    /// the tips of an ellipse, a hub's folded corner).
    fn inset(self, h: f64) -> f64 {
        match self {
            Outline::Rect => 8.0_f64.min(h / 3.0),
            Outline::Hexagon => 5.0_f64.min(h / 3.0),
            Outline::Ellipse => h * 0.2,
        }
    }

    /// The height a box needs for `n` ports `gap` apart on one side.
    fn height_for(self, n: usize, gap: f64) -> f64 {
        let spread = n as f64 * gap;
        match self {
            Outline::Ellipse => spread / 0.6,
            _ => spread + 2.0 * self.inset(f64::MAX),
        }
    }

    /// Where a horizontal line at height `y` meets the outline of box `b`, on the left or the
    /// right side.
    fn border_x(self, b: &Placed, y: f64, right: bool) -> f64 {
        let c = b.centre();
        let half = b.h / 2.0;
        let rel = ((y - c.y).abs() / half).min(1.0);
        let inward = match self {
            Outline::Rect => 0.0,
            Outline::Hexagon => hexagon_tip(b.w, b.h) * rel,
            Outline::Ellipse => b.w / 2.0 * (1.0 - (1.0 - rel * rel).max(0.0).sqrt()),
        };
        if right {
            b.x + b.w - inward
        } else {
            b.x + inward
        }
    }
}

/// How far a hexagon's tips reach beyond its top and bottom sides: no more than a box of one
/// line's height would, however tall its ports make it.
pub(super) fn hexagon_tip(w: f64, h: f64) -> f64 {
    (h / 2.0).min(w / 4.0).min(14.0)
}

/// What the layout places in a layer: a box (an entity or hub not in a cluster), or a
/// cluster's frame holding its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vertex {
    Item(usize),
    Cluster(usize),
}

/// The layout's view of a diagram: its boxes (entities, then hubs), the vertices that hold
/// them, and each line's two ends in the order the layout reads them.
struct Scene<'d> {
    dg: &'d Diagram,
    /// Each item's outline and size (grown for its ports later).
    outline: Vec<Outline>,
    size: Vec<Pt>,
    vertices: Vec<Vertex>,
    /// The items each vertex holds: a box, or a cluster's organization and members.
    holds: Vec<Vec<usize>>,
    /// The vertex holding each item.
    vertex_of: Vec<usize>,
    /// Per line: its `from` and `to` items, and how the layout reads it.
    ends: Vec<Option<(usize, usize, Reading)>>,
}

impl<'d> Scene<'d> {
    fn new(dg: &'d Diagram, m: Option<&Measure>) -> Scene<'d> {
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        let mut outline = Vec::new();
        let mut size = Vec::new();
        for nd in &dg.nodes {
            index.insert(&nd.id, outline.len());
            outline.push(Outline::of(nd.kind));
            let s = node_size(m, nd.kind, &nd.name, nd.focus);
            size.push(pt(s.0, s.1));
        }
        for h in &dg.hubs {
            index.insert(&h.id, outline.len());
            outline.push(Outline::Rect);
            let s = hub_size(m, &h.title);
            size.push(pt(s.0, s.1));
        }
        let items = outline.len();
        let mut vertex_of = vec![usize::MAX; items];
        let mut vertices = Vec::new();
        let mut holds = Vec::new();
        for (c, cl) in dg.clusters.iter().enumerate() {
            let members: Vec<usize> = std::iter::once(&cl.org)
                .chain(&cl.members)
                .filter_map(|id| index.get(id.as_str()).copied())
                .filter(|&i| vertex_of[i] == usize::MAX)
                .collect();
            if members.is_empty() {
                continue;
            }
            for &i in &members {
                vertex_of[i] = vertices.len();
            }
            vertices.push(Vertex::Cluster(c));
            holds.push(members);
        }
        for (i, v) in vertex_of.iter_mut().enumerate() {
            if *v == usize::MAX {
                *v = vertices.len();
                vertices.push(Vertex::Item(i));
                holds.push(vec![i]);
            }
        }
        let depth = |i: usize| dg.nodes.get(i).and_then(|n| n.depth);
        let ends = dg
            .lines
            .iter()
            .map(|l| {
                let a = *index.get(l.from.as_str())?;
                let b = *index.get(l.to.as_str())?;
                if a == b {
                    return None;
                }
                Some((
                    a,
                    b,
                    reading(l.kind, b >= dg.nodes.len(), depth(a), depth(b)),
                ))
            })
            .collect();
        Scene {
            dg,
            outline,
            size,
            vertices,
            holds,
            vertex_of,
            ends,
        }
    }

    /// The items vertex `v` holds, in the order they are stacked (a cluster's organization
    /// first).
    fn held(&self, v: usize) -> &[usize] {
        &self.holds[v]
    }

    /// Each line's two vertices, in the direction the layout reads it: the edges that put the
    /// vertices in layers (lines within one cluster, and lines free to join any two layers,
    /// left out).
    fn vertex_edges(&self) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = self
            .ends
            .iter()
            .flatten()
            .filter_map(|&(a, b, reading)| {
                let (u, v) = (self.vertex_of[a], self.vertex_of[b]);
                match reading {
                    Reading::Forward => Some((u, v)),
                    Reading::Backward => Some((v, u)),
                    Reading::Free => None,
                }
            })
            .filter(|(u, v)| u != v)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// How the layout reads a line: from its `from` end to its `to` end (the first in an earlier
/// layer), the other way, or free to join any two layers, the same one included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    Forward,
    Backward,
    Free,
}

/// How the layout reads a line: a role from the state or organization to the person (people
/// stand beside the targets, not the senders); an alliance, treaty or event between two
/// entities from the one nearer the focus (free between two as near, which would otherwise
/// make chains of layers out of neighbours); sanctions, statements and memberships as drawn
/// (sender, speaker, member first), and a line to a hub too (the hub last). Without a focus,
/// lines are read as drawn.
fn reading(
    kind: LinkKind,
    to_hub: bool,
    from_depth: Option<usize>,
    to_depth: Option<usize>,
) -> Reading {
    if to_hub {
        return Reading::Forward;
    }
    match kind {
        LinkKind::Role => Reading::Backward,
        LinkKind::Alliance | LinkKind::Treaty | LinkKind::Event => match (from_depth, to_depth) {
            (Some(a), Some(b)) if b < a => Reading::Backward,
            (Some(a), Some(b)) if b == a => Reading::Free,
            _ => Reading::Forward,
        },
        LinkKind::Sanction | LinkKind::Statement | LinkKind::Membership => Reading::Forward,
    }
}

/// Runs `f`, turning a panic into `None` (its message silenced): a panic in a layout crate
/// must never reach the user, who gets the simpler layout instead.
fn contained<T>(f: impl FnOnce() -> T) -> Option<T> {
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok();
    std::panic::set_hook(previous_hook);
    out
}

/// The settings rust-sugiyama runs with: edges one layer long at least, layers ordered by
/// barycentres and then by swapping neighbours.
fn config(spacing: f64) -> Config {
    Config {
        minimum_length: 1,
        vertex_spacing: spacing,
        dummy_vertices: true,
        dummy_size: 1.0,
        ranking_type: RankingType::MinimizeEdgeLength,
        c_minimization: CrossingMinimization::Barycenter,
        transpose: true,
    }
}

/// Each vertex's part (connected component) and layer, from rust-sugiyama (or, should it fail,
/// from [`plain_layers`]). Layers are numbered from 0 in each part, without empty ones, and
/// every edge joins two different layers.
fn layers(n: usize, edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let by_crate = contained(|| {
        let mut g: StableDiGraph<(), ()> = StableDiGraph::new();
        let ids: Vec<NodeIndex> = (0..n).map(|_| g.add_node(())).collect();
        for &(a, b) in edges {
            g.add_edge(ids[a], ids[b], ());
        }
        rust_sugiyama::from_graph(&g, &|_, _| (10.0, 10.0), &config(10.0))
    });
    let Some(parts) = by_crate else {
        return plain_layers(n, edges);
    };
    let mut out = vec![(usize::MAX, 0); n];
    for (p, (coords, _, _)) in parts.iter().enumerate() {
        let mut ys: Vec<f64> = coords.iter().map(|(_, (_, y))| *y).collect();
        ys.sort_by(f64::total_cmp);
        ys.dedup_by(|a, b| (*a - *b).abs() < 1e-6);
        for (v, (_, y)) in coords {
            let layer = ys.partition_point(|l| *l < *y - 1e-6);
            if let Some(slot) = out.get_mut(v.index()) {
                *slot = (p, layer);
            }
        }
    }
    let ok = out.iter().all(|(p, _)| *p != usize::MAX)
        && edges
            .iter()
            .all(|&(a, b)| out[a].0 == out[b].0 && out[a].1 != out[b].1);
    if ok { out } else { plain_layers(n, edges) }
}

/// Each vertex's part: the vertices joined by `edges`, numbered in the order of their first
/// vertex.
fn parts_of(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut part: Vec<usize> = (0..n).collect();
    fn root(part: &mut [usize], mut v: usize) -> usize {
        while part[v] != v {
            part[v] = part[part[v]];
            v = part[v];
        }
        v
    }
    for &(a, b) in edges {
        let (ra, rb) = (root(&mut part, a), root(&mut part, b));
        part[ra.max(rb)] = ra.min(rb);
    }
    let mut names: BTreeMap<usize, usize> = BTreeMap::new();
    (0..n)
        .map(|v| {
            let r = root(&mut part, v);
            let k = names.len();
            *names.entry(r).or_insert(k)
        })
        .collect()
}

/// Layers without rust-sugiyama: parts by union, and each vertex one layer after the latest of
/// its predecessors (an edge that would close a cycle is read backwards).
fn plain_layers(n: usize, edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut layer = vec![0usize; n];
    let mut placed = vec![false; n];
    let mut incoming = vec![0usize; n];
    for &(_, b) in edges {
        incoming[b] += 1;
    }
    for _ in 0..n {
        // The next vertex: one whose predecessors are all placed, else the first left.
        let next = (0..n)
            .find(|&v| !placed[v] && incoming[v] == 0)
            .or_else(|| (0..n).find(|&v| !placed[v]));
        let Some(v) = next else { break };
        placed[v] = true;
        layer[v] = edges
            .iter()
            .filter(|&&(a, b)| b == v && placed[a] && a != v)
            .map(|&(a, _)| layer[a] + 1)
            .max()
            .unwrap_or(0);
        for &(a, b) in edges {
            if a == v {
                incoming[b] = incoming[b].saturating_sub(1);
            }
        }
    }
    // Read backwards, an edge from a later layer still joins two different layers: an edge
    // between two vertices of one layer moves its head one layer on.
    for _ in 0..n {
        let mut moved = false;
        for &(a, b) in edges {
            if layer[a] == layer[b] {
                layer[b] += 1;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    let parts = parts_of(n, edges);
    // Layers numbered from 0 in each part, without empty ones.
    let mut out = vec![(0, 0); n];
    for p in 0..parts.iter().map(|p| p + 1).max().unwrap_or(0) {
        let mut used: Vec<usize> = (0..n)
            .filter(|&v| parts[v] == p)
            .map(|v| layer[v])
            .collect();
        used.sort_unstable();
        used.dedup();
        for v in (0..n).filter(|&v| parts[v] == p) {
            out[v] = (p, used.partition_point(|&l| l < layer[v]));
        }
    }
    out
}

/// Which side of its box a line end leaves from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Left,
    Right,
}

/// A place in a layer: a vertex, or the slot of a line passing through.
#[derive(Debug, Clone, Copy)]
struct Slot {
    vertex: Option<usize>,
    layer: usize,
    /// Its extent along the layer (a box's height), and across (its width).
    along: f64,
    across: f64,
    /// Its centre along the layer, once placed.
    at: f64,
}

/// One line of a part: the slots it runs through, from its first layer to its last, its two
/// items there, and whether that is from its `to` end to its `from` end.
#[derive(Debug, Clone)]
struct Chain {
    line: usize,
    slots: Vec<usize>,
    first: usize,
    last: usize,
    reversed: bool,
}

/// A line within one layer (within one cluster, or free and left there): both ends on the
/// right side of their boxes, the line curving out into the gap after the layer and back.
#[derive(Debug, Clone, Copy)]
struct Loop {
    line: usize,
    a: usize,
    b: usize,
}

/// One part (connected component) of the picture, laid out on its own.
struct Part {
    layers: usize,
    slots: Vec<Slot>,
    chains: Vec<Chain>,
    loops: Vec<Loop>,
    /// Each item of the part, and its box relative to its vertex's box (members of a cluster).
    offsets: BTreeMap<usize, Pt>,
}

/// Lays out the diagram.
pub(super) fn lay_out(dg: &Diagram, m: Option<&Measure>) -> Drawing {
    let mut scene = Scene::new(dg, m);
    let mut drawing = Drawing {
        boxes: vec![None; scene.outline.len()],
        frames: vec![None; dg.clusters.len()],
        lines: vec![None; dg.lines.len()],
        width: 0.0,
        height: 0.0,
    };
    if scene.vertices.is_empty() {
        return drawing;
    }
    let edges = scene.vertex_edges();
    let mut place = layers(scene.vertices.len(), &edges);
    // Parts joined by any line, free ones too.
    let joined: Vec<(usize, usize)> = scene
        .ends
        .iter()
        .flatten()
        .map(|&(a, b, _)| (scene.vertex_of[a], scene.vertex_of[b]))
        .collect();
    for (v, p) in parts_of(scene.vertices.len(), &joined)
        .into_iter()
        .enumerate()
    {
        place[v].0 = p;
    }
    grow_for_ports(&mut scene, &place);
    let labels = label_texts(dg, m);
    let count = place.iter().map(|(p, _)| p + 1).max().unwrap_or(0);
    // Each part laid out on its own: the part with the focus first, then the largest.
    let mut parts: Vec<(bool, Drawing)> = (0..count)
        .map(|p| {
            let focus = scene
                .vertex_of
                .iter()
                .enumerate()
                .any(|(i, &v)| place[v].0 == p && dg.nodes.get(i).is_some_and(|n| n.focus));
            (!focus, route(&scene, &part(&scene, &place, p, m), &labels))
        })
        .collect();
    parts.sort_by(|(fa, a), (fb, b)| {
        fa.cmp(fb)
            .then_with(|| (b.width * b.height).total_cmp(&(a.width * a.height)))
    });
    // Packed in rows about as wide as the whole is high.
    let area: f64 = parts.iter().map(|(_, d)| d.width * d.height).sum();
    let widest = parts.iter().map(|(_, d)| d.width).fold(0.0, f64::max);
    let row_width = widest.max(area.sqrt() * 1.4);
    let (mut x, mut y, mut row_h) = (0.0, 0.0, 0.0_f64);
    for (_, d) in parts {
        if x > 0.0 && x + d.width > row_width {
            x = 0.0;
            y += row_h + PART_SEP;
            row_h = 0.0;
        }
        let (w, h) = (d.width, d.height);
        merge(&mut drawing, d, pt(x, y));
        x += w + PART_SEP;
        row_h = row_h.max(h);
    }
    drawing
}

/// Adds part `d`, moved by `by`, to `into`.
fn merge(into: &mut Drawing, d: Drawing, by: Pt) {
    for (slot, b) in into.boxes.iter_mut().zip(d.boxes) {
        if let Some(b) = b {
            *slot = Some(b.moved(by));
        }
    }
    for (slot, f) in into.frames.iter_mut().zip(d.frames) {
        if let Some(f) = f {
            *slot = Some(f.moved(by));
        }
    }
    for (slot, l) in into.lines.iter_mut().zip(d.lines) {
        if let Some(l) = l {
            *slot = Some(Routed {
                path: l
                    .path
                    .iter()
                    .map(|c| c.map(|p| pt(p.x + by.x, p.y + by.y)))
                    .collect(),
                label: l.label.map(|p| pt(p.x + by.x, p.y + by.y)),
            });
        }
    }
    into.width = into.width.max(by.x + d.width);
    into.height = into.height.max(by.y + d.height);
}

/// The side of an item held by vertex `v` that a line to vertex `w` leaves from: towards a
/// later layer, the right; towards an earlier one, the left; within its own layer, the right.
fn side(place: &[(usize, usize)], v: usize, w: usize) -> Side {
    if place[w].1 >= place[v].1 {
        Side::Right
    } else {
        Side::Left
    }
}

/// Makes each box tall enough for the ports of its busiest side: [`PORT_GAP`] apart where an
/// arrowhead or dot ends there, closer where only plain ends do.
fn grow_for_ports(scene: &mut Scene<'_>, place: &[(usize, usize)]) {
    // Per side: how many ends, and whether one has a marker.
    let mut count: BTreeMap<(usize, Side), (usize, bool)> = BTreeMap::new();
    for (line, ends) in scene.ends.iter().enumerate() {
        let Some(&(a, b, _)) = ends.as_ref() else {
            continue;
        };
        let l = &scene.dg.lines[line];
        let marked = l.directed && style::link(l.kind).arrowhead != "none";
        let (va, vb) = (scene.vertex_of[a], scene.vertex_of[b]);
        let e = count.entry((a, side(place, va, vb))).or_default();
        e.0 += 1;
        let e = count.entry((b, side(place, vb, va))).or_default();
        e.0 += 1;
        e.1 |= marked;
    }
    for ((i, _), (n, marked)) in count {
        let gap = if marked { PORT_GAP } else { PLAIN_PORT_GAP };
        let need = scene.outline[i].height_for(n, gap);
        if need > scene.size[i].y {
            scene.size[i].y = need.ceil();
        }
    }
}

/// Each line's label and the size of its box, if it has one: a diff's mark and the count of
/// merged facts, or the fact's id when lines are drawn one per fact.
fn label_texts(dg: &Diagram, m: Option<&Measure>) -> Vec<Option<(String, Pt)>> {
    let each = dg.parallel == Parallel::Each;
    dg.lines
        .iter()
        .map(|l| {
            let s = style::stroke(l, each && dg.hub(&l.to).is_none());
            if s.label.is_empty() {
                return None;
            }
            let w = f64::from(Measure::width(m, &s.label, SMALL_PX, false)) + 6.0;
            let h = f64::from(SMALL_PX) * 1.3 + 2.0;
            Some((s.label, pt(w, h)))
        })
        .collect()
}

/// Part `p` of the picture: its vertices in their layers, each line a chain of slots, each
/// layer ordered and placed along by rust-sugiyama (or kept in the order of ids, should it
/// fail), then spaced so that nothing in a layer overlaps.
fn part(scene: &Scene<'_>, place: &[(usize, usize)], p: usize, m: Option<&Measure>) -> Part {
    let mut slots: Vec<Slot> = Vec::new();
    let mut slot_of: BTreeMap<usize, usize> = BTreeMap::new();
    let mut offsets: BTreeMap<usize, Pt> = BTreeMap::new();
    for v in (0..scene.vertices.len()).filter(|&v| place[v].0 == p) {
        let held = scene.held(v);
        let (along, across) = match scene.vertices[v] {
            Vertex::Item(i) => {
                offsets.insert(i, pt(0.0, 0.0));
                (scene.size[i].y, scene.size[i].x)
            }
            Vertex::Cluster(c) => {
                let name = &scene.dg.clusters[c].name;
                let label_w =
                    f64::from(Measure::width(m, &frame_label(name), FRAME_LABEL_PX, false));
                let inner_w = held
                    .iter()
                    .map(|&i| scene.size[i].x)
                    .fold(label_w, f64::max);
                let w = inner_w + 2.0 * FRAME_PAD;
                let mut y = FRAME_PAD + f64::from(FRAME_LABEL_PX) * 1.6;
                for &i in held {
                    offsets.insert(i, pt((w - scene.size[i].x) / 2.0, y));
                    y += scene.size[i].y + FRAME_SEP;
                }
                (y - FRAME_SEP + FRAME_PAD, w)
            }
        };
        slot_of.insert(v, slots.len());
        slots.push(Slot {
            vertex: Some(v),
            layer: place[v].1,
            along,
            across,
            at: 0.0,
        });
    }
    let layers = slots.iter().map(|s| s.layer + 1).max().unwrap_or(0);
    let mut chains = Vec::new();
    let mut loops = Vec::new();
    for (line, ends) in scene.ends.iter().enumerate() {
        let Some(&(a, b, reading)) = ends.as_ref() else {
            continue;
        };
        let (va, vb) = (scene.vertex_of[a], scene.vertex_of[b]);
        if place[va].0 != p {
            continue;
        }
        if place[va].1 == place[vb].1 {
            loops.push(Loop { line, a, b });
            continue;
        }
        let (mut first, mut last) = if reading == Reading::Backward {
            (b, a)
        } else {
            (a, b)
        };
        let layer = |i: usize| place[scene.vertex_of[i]].1;
        if layer(first) > layer(last) {
            std::mem::swap(&mut first, &mut last);
        }
        let mut path = vec![slot_of[&scene.vertex_of[first]]];
        for l in layer(first) + 1..layer(last) {
            path.push(slots.len());
            slots.push(Slot {
                vertex: None,
                layer: l,
                along: 2.0,
                across: 0.0,
                at: 0.0,
            });
        }
        path.push(slot_of[&scene.vertex_of[last]]);
        chains.push(Chain {
            line,
            slots: path,
            first,
            last,
            reversed: first != a,
        });
    }
    // Along each layer: where rust-sugiyama puts each slot, on the proper graph.
    let wanted = contained(|| {
        let mut g: StableDiGraph<(f64, f64), ()> = StableDiGraph::new();
        let ids: Vec<NodeIndex> = slots
            .iter()
            .map(|s| g.add_node((s.along, s.across)))
            .collect();
        let mut edges: Vec<(usize, usize)> = chains
            .iter()
            .flat_map(|c| c.slots.windows(2).map(|w| (w[0], w[1])))
            .collect();
        edges.sort_unstable();
        edges.dedup();
        for (a, b) in edges {
            g.add_edge(ids[a], ids[b], ());
        }
        let mut at = vec![f64::NAN; slots.len()];
        for (coords, _, _) in
            rust_sugiyama::from_graph(&g, &|_, s: &(f64, f64)| *s, &config(BOX_SEP))
        {
            for (v, (x, _)) in coords {
                if let Some(a) = at.get_mut(v.index()) {
                    *a = x;
                }
            }
        }
        at
    })
    .filter(|at| at.iter().all(|x| x.is_finite()))
    .unwrap_or_else(|| (0..slots.len()).map(|i| i as f64).collect());
    // Spaced: in each layer, in the order wanted, each slot as near its wanted place as the
    // one before it allows.
    for l in 0..layers {
        let mut order: Vec<usize> = (0..slots.len()).filter(|&s| slots[s].layer == l).collect();
        order.sort_by(|&a, &b| wanted[a].total_cmp(&wanted[b]).then(a.cmp(&b)));
        let mut end = f64::NEG_INFINITY;
        let mut prev_box = false;
        for s in order {
            let is_box = slots[s].vertex.is_some();
            let sep = if is_box && prev_box {
                BOX_SEP
            } else {
                SLOT_SEP
            };
            let half = slots[s].along / 2.0;
            let at = wanted[s].max(end + sep + half);
            slots[s].at = at;
            end = at + half;
            prev_box = is_box;
        }
    }
    Part {
        layers,
        slots,
        chains,
        loops,
        offsets,
    }
}

/// What a cluster's frame says.
pub(super) fn frame_label(name: &str) -> String {
    format!("members of {name}")
}

/// The point a fraction `t` along cubic `c`.
pub(super) fn eval(c: &Cubic, t: f64) -> Pt {
    let u = 1.0 - t;
    let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
    pt(
        c.iter().zip(w).map(|(p, k)| p.x * k).sum(),
        c.iter().zip(w).map(|(p, k)| p.y * k).sum(),
    )
}

/// A straight piece as a cubic.
fn straight(a: Pt, b: Pt) -> Cubic {
    let third = |k: f64| pt(a.x + (b.x - a.x) * k, a.y + (b.y - a.y) * k);
    [a, third(1.0 / 3.0), third(2.0 / 3.0), b]
}

/// A curve across a gap, leaving and arriving level, turning a fraction `turn` of the way.
fn across(a: Pt, b: Pt, turn: f64) -> Cubic {
    let x = a.x + (b.x - a.x) * turn;
    [a, pt(x, a.y), pt(x, b.y), b]
}

/// How far a loop from `ya` to `yb` reaches out beyond the layer.
fn bulge(ya: f64, yb: f64) -> f64 {
    (18.0 + 0.15 * (ya - yb).abs()).min(80.0)
}

/// A line end on one side of a box: the height its line goes towards, the line, and the
/// end's number (two per chain, then two per loop).
type PortEnd = (f64, usize, usize);

/// A curve across a gap: the heights it leaves and arrives at, and its chain and step.
type Turn = (f64, f64, (usize, usize));

/// A curve of a line, in the gap after layer `gap`, that its label may sit beside.
struct Curve {
    line: usize,
    gap: usize,
    cubic: Cubic,
}

/// Routes the lines of a part and places its boxes and labels, widening the gaps between
/// layers until every label fits.
/// The height of chain `k` (`c`) at its `j`th slot: its ports at either end, else the slot's.
fn chain_y(part: &Part, port: &[f64], k: usize, c: &Chain, j: usize) -> f64 {
    if j == 0 {
        port[2 * k]
    } else if j == c.slots.len() - 1 {
        port[2 * k + 1]
    } else {
        part.slots[c.slots[j]].at
    }
}

fn route(scene: &Scene<'_>, part: &Part, labels: &[Option<(String, Pt)>]) -> Drawing {
    let n_layers = part.layers;
    // Each layer's width: its widest box.
    let mut col_w = vec![0.0_f64; n_layers];
    for s in &part.slots {
        col_w[s.layer] = col_w[s.layer].max(s.across);
    }
    // Each item's box, across the layer still to be placed (x from the layer's left edge).
    let mut item_box: BTreeMap<usize, (usize, Placed)> = BTreeMap::new();
    let mut frame_box: BTreeMap<usize, (usize, Placed)> = BTreeMap::new();
    for s in &part.slots {
        let Some(v) = s.vertex else { continue };
        let b = Placed {
            x: (col_w[s.layer] - s.across) / 2.0,
            y: s.at - s.along / 2.0,
            w: s.across,
            h: s.along,
        };
        if let Vertex::Cluster(c) = scene.vertices[v] {
            frame_box.insert(c, (s.layer, b));
        }
        for &i in scene.held(v) {
            let o = part.offsets[&i];
            let (x, y) = if matches!(scene.vertices[v], Vertex::Cluster(_)) {
                (b.x + o.x, b.y + o.y)
            } else {
                (b.x, b.y)
            };
            let size = scene.size[i];
            item_box.insert(
                i,
                (
                    s.layer,
                    Placed {
                        x,
                        y,
                        w: size.x,
                        h: size.y,
                    },
                ),
            );
        }
    }
    let centre_y = |i: usize| item_box[&i].1.centre().y;
    let slot_y = |s: usize| match part.slots[s].vertex {
        Some(_) => None,
        None => Some(part.slots[s].at),
    };
    // Ports: the ends on each side of each item, ordered by where their lines go, spread
    // along the side.
    let mut sides: BTreeMap<(usize, Side), Vec<PortEnd>> = BTreeMap::new();
    for (k, c) in part.chains.iter().enumerate() {
        let n = c.slots.len();
        let towards_last = slot_y(c.slots[1]).unwrap_or_else(|| centre_y(c.last));
        let towards_first = slot_y(c.slots[n - 2]).unwrap_or_else(|| centre_y(c.first));
        sides
            .entry((c.first, Side::Right))
            .or_default()
            .push((towards_last, c.line, 2 * k));
        sides
            .entry((c.last, Side::Left))
            .or_default()
            .push((towards_first, c.line, 2 * k + 1));
    }
    let loop_base = 2 * part.chains.len();
    for (k, l) in part.loops.iter().enumerate() {
        let right = |i: usize, towards: f64, end: usize| (i, towards, end);
        for (i, towards, end) in [
            right(l.a, centre_y(l.b), loop_base + 2 * k),
            right(l.b, centre_y(l.a), loop_base + 2 * k + 1),
        ] {
            sides
                .entry((i, Side::Right))
                .or_default()
                .push((towards, l.line, end));
        }
    }
    // The height of each end's port, by end number.
    let mut port = vec![0.0; loop_base + 2 * part.loops.len()];
    for ((i, _), ends) in &mut sides {
        ends.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let b = item_box[i].1;
        let inset = scene.outline[*i].inset(b.h);
        let span = b.h - 2.0 * inset;
        let n = ends.len() as f64;
        for (k, e) in ends.iter().enumerate() {
            port[e.2] = b.y + inset + span * (k as f64 + 0.5) / n;
        }
    }
    // The heights a line passes each gap at, for the gaps' widths.
    let mut dy = vec![0.0_f64; n_layers];
    let mut loop_room = vec![0.0_f64; n_layers];
    for (k, c) in part.chains.iter().enumerate() {
        let n = c.slots.len();
        let y_at = |j: usize| chain_y(part, &port, k, c, j);
        for j in 0..n - 1 {
            let l = part.slots[c.slots[j]].layer;
            dy[l] = dy[l].max((y_at(j) - y_at(j + 1)).abs());
        }
    }
    for (k, l) in part.loops.iter().enumerate() {
        let layer = item_box[&l.a].0;
        let b = bulge(port[loop_base + 2 * k], port[loop_base + 2 * k + 1]);
        loop_room[layer] = loop_room[layer].max(b + 2.0 * STUB + 8.0);
    }
    // Where each curve turns across its gap (a fraction of the gap): of the curves going
    // down a gap, the higher one starts the later it turns, and of those going up, the lower
    // one starts, so that curves leaving one above the other nest instead of running over
    // each other.
    let mut turns: BTreeMap<(usize, bool), Vec<Turn>> = BTreeMap::new();
    for (k, c) in part.chains.iter().enumerate() {
        let n = c.slots.len();
        let y_at = |j: usize| chain_y(part, &port, k, c, j);
        for j in 1..n {
            let (ya, yb) = (y_at(j - 1), y_at(j));
            if (yb - ya).abs() >= 1.0 {
                let g = part.slots[c.slots[j - 1]].layer;
                turns
                    .entry((g, yb > ya))
                    .or_default()
                    .push((ya, yb, (k, j)));
            }
        }
    }
    let mut bend: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for ((_, down), mut list) in turns {
        list.sort_by(|a, b| {
            let key = |e: &Turn| if down { (e.0, e.1) } else { (-e.0, -e.1) };
            let (ka, kb) = (key(a), key(b));
            ka.0.total_cmp(&kb.0)
                .then(ka.1.total_cmp(&kb.1))
                .then(a.2.cmp(&b.2))
        });
        let n = list.len();
        for (i, e) in list.iter().enumerate() {
            let f = if n == 1 {
                0.5
            } else {
                0.7 - 0.4 * i as f64 / (n - 1) as f64
            };
            bend.insert(e.2, f);
        }
    }
    let mut extra = vec![0.0_f64; n_layers];
    let mut result = Drawing::default();
    for round in 0..=WIDEN_ROUNDS {
        // Each gap: room for its curves and loops, and for the labels that did not fit.
        let gap: Vec<f64> = (0..n_layers)
            .map(|l| {
                let base = if l + 1 < n_layers {
                    (MIN_GAP + 0.2 * dy[l]).min(320.0)
                } else {
                    0.0
                };
                base.max(loop_room[l]) + extra[l]
            })
            .collect();
        let mut left = vec![0.0; n_layers];
        for l in 1..n_layers {
            left[l] = left[l - 1] + col_w[l - 1] + gap[l - 1];
        }
        let right = |l: usize| left[l] + col_w[l];
        let abs_box = |i: usize| {
            let (l, b) = item_box[&i];
            Placed {
                x: b.x + left[l],
                ..b
            }
        };
        let mut lines: Vec<Option<Routed>> = vec![None; scene.dg.lines.len()];
        let mut curves: Vec<Curve> = Vec::new();
        for (k, c) in part.chains.iter().enumerate() {
            let n = c.slots.len();
            let first_layer = part.slots[c.slots[0]].layer;
            let y0 = port[2 * k];
            let b0 = abs_box(c.first);
            let mut path = vec![straight(
                pt(scene.outline[c.first].border_x(&b0, y0, true), y0),
                pt(right(first_layer) + STUB, y0),
            )];
            let mut from = pt(right(first_layer) + STUB, y0);
            for j in 1..n {
                let s = &part.slots[c.slots[j]];
                let y = if j == n - 1 { port[2 * k + 1] } else { s.at };
                let to = pt(left[s.layer] - STUB, y);
                let cubic = across(from, to, bend.get(&(k, j)).copied().unwrap_or(0.5));
                curves.push(Curve {
                    line: c.line,
                    gap: s.layer - 1,
                    cubic,
                });
                path.push(cubic);
                if j == n - 1 {
                    let b = abs_box(c.last);
                    path.push(straight(
                        to,
                        pt(scene.outline[c.last].border_x(&b, y, false), y),
                    ));
                } else {
                    from = pt(right(s.layer) + STUB, y);
                    path.push(straight(to, from));
                }
            }
            if c.reversed {
                path = path
                    .iter()
                    .rev()
                    .map(|c| [c[3], c[2], c[1], c[0]])
                    .collect();
            }
            lines[c.line] = Some(Routed { path, label: None });
        }
        for (k, l) in part.loops.iter().enumerate() {
            let (ya, yb) = (port[loop_base + 2 * k], port[loop_base + 2 * k + 1]);
            let layer = item_box[&l.a].0;
            let x = right(layer) + STUB;
            let reach = x + bulge(ya, yb);
            let (ba, bb) = (abs_box(l.a), abs_box(l.b));
            let cubic = [pt(x, ya), pt(reach, ya), pt(reach, yb), pt(x, yb)];
            curves.push(Curve {
                line: l.line,
                gap: layer,
                cubic,
            });
            let path = vec![
                straight(
                    pt(scene.outline[l.a].border_x(&ba, ya, true), ya),
                    pt(x, ya),
                ),
                cubic,
                straight(
                    pt(x, yb),
                    pt(scene.outline[l.b].border_x(&bb, yb, true), yb),
                ),
            ];
            lines[l.line] = Some(Routed { path, label: None });
        }
        // Labels beside their lines, each in a gap, meeting no other label.
        let gap_edges = |g: usize| (right(g), right(g) + gap[g]);
        let misses = place_labels(&curves, labels, &gap_edges, &mut lines);
        let last = round == WIDEN_ROUNDS || misses.is_empty();
        if last {
            let mut d = Drawing {
                boxes: vec![None; scene.outline.len()],
                frames: vec![None; scene.dg.clusters.len()],
                lines,
                width: 0.0,
                height: 0.0,
            };
            for &i in item_box.keys() {
                d.boxes[i] = Some(abs_box(i));
            }
            for (&c, &(l, b)) in &frame_box {
                d.frames[c] = Some(Placed {
                    x: b.x + left[l],
                    ..b
                });
            }
            result = normalized(d, labels);
            break;
        }
        // Each gap widened by its widest label that found no place.
        let mut widen = vec![0.0_f64; n_layers];
        for (g, w) in misses {
            widen[g] = widen[g].max(w + 12.0);
        }
        for (e, w) in extra.iter_mut().zip(widen) {
            *e += w;
        }
    }
    result
}

/// Places each line's label beside one of its curves, in that curve's gap (`gap_edges` gives
/// a gap's left and right), where it overlaps no label placed before; of the places that do,
/// the one fewest other lines pass through. Returns the gaps of the labels that found no
/// place, with their widths.
fn place_labels(
    curves: &[Curve],
    labels: &[Option<(String, Pt)>],
    gap_edges: &dyn Fn(usize) -> (f64, f64),
    lines: &mut [Option<Routed>],
) -> Vec<(usize, f64)> {
    // Points along every curve, by gap, to count the lines a label would sit on.
    let mut samples: BTreeMap<usize, Vec<(usize, Pt)>> = BTreeMap::new();
    for c in curves {
        let list = samples.entry(c.gap).or_default();
        for k in 0..=32 {
            list.push((c.line, eval(&c.cubic, f64::from(k) / 32.0)));
        }
    }
    let mut placed: Vec<Placed> = Vec::new();
    let mut misses = Vec::new();
    for (line, label) in labels.iter().enumerate() {
        let Some((_, size)) = label else { continue };
        let Some(routed) = lines.get_mut(line).and_then(Option::as_mut) else {
            continue;
        };
        let mine: Vec<&Curve> = curves.iter().filter(|c| c.line == line).collect();
        // The best place: the fewest other lines through the label, then nearest the middle
        // of a curve.
        let mut best: Option<((usize, u32), Placed)> = None;
        for c in &mine {
            let (x0, x1) = gap_edges(c.gap);
            for k in 1..20_i32 {
                let t = f64::from(k) / 20.0;
                let p = eval(&c.cubic, t);
                // Above the line, below it, right of it or left of it, touching it.
                let (hx, hy) = (size.x / 2.0 + 1.0, size.y / 2.0 + 1.0);
                for (dx, dy) in [(0.0, -hy), (0.0, hy), (hx, 0.0), (-hx, 0.0)] {
                    let b = Placed {
                        x: p.x + dx - size.x / 2.0,
                        y: p.y + dy - size.y / 2.0,
                        w: size.x,
                        h: size.y,
                    };
                    if b.x < x0 + 1.0 || b.x + b.w > x1 - 1.0 {
                        continue;
                    }
                    if placed.iter().any(|o| overlap(o, &b, 1.0)) {
                        continue;
                    }
                    let mut through: Vec<usize> =
                        samples.get(&c.gap).map_or_else(Vec::new, |list| {
                            list.iter()
                                .filter(|(l, q)| *l != line && inside(&b, *q))
                                .map(|(l, _)| *l)
                                .collect()
                        });
                    through.dedup();
                    let score = (through.len(), (k - 10).unsigned_abs());
                    if best.is_none_or(|(s, _)| score < s) {
                        best = Some((score, b));
                    }
                }
            }
        }
        match best {
            Some((_, b)) => {
                routed.label = Some(b.centre());
                placed.push(b);
            }
            None => {
                if let Some(c) = mine.first() {
                    misses.push((c.gap, size.x));
                }
            }
        }
    }
    misses
}

/// Whether two boxes overlap, each grown by `margin`.
fn overlap(a: &Placed, b: &Placed, margin: f64) -> bool {
    a.x - margin < b.x + b.w
        && b.x - margin < a.x + a.w
        && a.y - margin < b.y + b.h
        && b.y - margin < a.y + a.h
}

fn inside(b: &Placed, p: Pt) -> bool {
    p.x >= b.x && p.x <= b.x + b.w && p.y >= b.y && p.y <= b.y + b.h
}

/// A part moved so that everything in it, labels included, starts at 0, 0; its width and
/// height those of what it holds.
fn normalized(mut d: Drawing, labels: &[Option<(String, Pt)>]) -> Drawing {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut grow = |b: &Placed| {
        x0 = x0.min(b.x);
        y0 = y0.min(b.y);
        x1 = x1.max(b.x + b.w);
        y1 = y1.max(b.y + b.h);
    };
    for b in d.boxes.iter().chain(&d.frames).flatten() {
        grow(b);
    }
    for (k, l) in d.lines.iter().enumerate() {
        let Some(l) = l else { continue };
        for c in &l.path {
            for p in c {
                grow(&Placed {
                    x: p.x,
                    y: p.y,
                    w: 0.0,
                    h: 0.0,
                });
            }
        }
        if let (Some(at), Some(Some((_, size)))) = (l.label, labels.get(k)) {
            grow(&Placed {
                x: at.x - size.x / 2.0,
                y: at.y - size.y / 2.0,
                w: size.x,
                h: size.y,
            });
        }
    }
    if x0 > x1 {
        return d;
    }
    let by = pt(-x0, -y0);
    let mut out = Drawing {
        boxes: vec![None; d.boxes.len()],
        frames: vec![None; d.frames.len()],
        lines: vec![None; d.lines.len()],
        width: 0.0,
        height: 0.0,
    };
    d.width = x1 - x0;
    d.height = y1 - y0;
    merge(&mut out, d, by);
    out.width = x1 - x0;
    out.height = y1 - y0;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_layers_put_the_ends_of_every_edge_in_two_layers_even_around_a_cycle() {
        // A cycle of three, a tail, and a part of its own.
        let edges = [(0, 1), (1, 2), (2, 0), (2, 3), (4, 5)];
        let place = plain_layers(6, &edges);
        for (a, b) in edges {
            assert_eq!(place[a].0, place[b].0, "{a} and {b} in one part");
            assert_ne!(place[a].1, place[b].1, "{a} and {b} in one layer");
        }
        assert_ne!(place[0].0, place[4].0);
        // Layers are numbered from 0 in each part, none empty.
        for p in [place[0].0, place[4].0] {
            let mut used: Vec<usize> = place.iter().filter(|x| x.0 == p).map(|x| x.1).collect();
            used.sort_unstable();
            used.dedup();
            assert_eq!(used, (0..used.len()).collect::<Vec<_>>());
        }
    }

    #[test]
    fn rust_sugiyama_layers_agree_with_the_edges() {
        let edges = [(0, 1), (1, 2), (0, 2), (3, 2), (4, 5)];
        let place = layers(6, &edges);
        for (a, b) in edges {
            assert_eq!(place[a].0, place[b].0);
            assert!(place[a].1 < place[b].1, "{a} before {b}: {place:?}");
        }
    }
}
