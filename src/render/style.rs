//! How diagrams look, shared by the DOT writer and the built-in picture renderer: a shape and
//! colours per kind of entity, a colour, width and arrowhead per kind of link, and how
//! certainty and a diff's changes alter a line.

use crate::graph::LinkKind;
use crate::model::{Certainty, EntityKind};
use crate::query::export::{Hub, Line, Parallel, Picture, Status};

/// The font diagrams are drawn in (Graphviz maps it to a sans-serif font it has).
pub const FONT: &str = "Helvetica";

/// How an entity is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeStyle {
    /// Graphviz shape: `box` (rounded) for states, `hexagon` for organizations, `ellipse` for
    /// people.
    pub shape: &'static str,
    /// Fill colour.
    pub fill: &'static str,
    /// Outline and text colour.
    pub stroke: &'static str,
    /// Whether the box has rounded corners.
    pub rounded: bool,
    /// The word the legend uses.
    pub legend: &'static str,
}

/// The style of an entity kind.
pub fn node(kind: EntityKind) -> NodeStyle {
    match kind {
        EntityKind::State => NodeStyle {
            shape: "box",
            fill: "#e3f2fd",
            stroke: "#1565c0",
            rounded: true,
            legend: "state",
        },
        EntityKind::Organization => NodeStyle {
            shape: "hexagon",
            fill: "#fff8e1",
            stroke: "#8d6e00",
            rounded: false,
            legend: "organization",
        },
        EntityKind::Person => NodeStyle {
            shape: "ellipse",
            fill: "#e8f5e9",
            stroke: "#2e7d32",
            rounded: false,
            legend: "person",
        },
    }
}

/// The outline width of the focus entity (others: 1).
pub const FOCUS_WIDTH: f32 = 3.0;

/// Colour of the box around an organization's members.
pub const CLUSTER_FILL: &str = "#fffdf3";

/// How a kind of link is drawn before certainty and changes alter it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkStyle {
    /// Colour, `#rrggbb`.
    pub color: &'static str,
    /// Line width in points.
    pub width: f32,
    /// Graphviz arrowhead at the target of a directed link.
    pub arrowhead: &'static str,
    /// What the legend says.
    pub legend: &'static str,
}

/// The style of a kind of link.
pub fn link(kind: LinkKind) -> LinkStyle {
    match kind {
        LinkKind::Alliance => LinkStyle {
            color: "#1f5fa8",
            width: 2.5,
            arrowhead: "none",
            legend: "alliance (fellow parties)",
        },
        LinkKind::Treaty => LinkStyle {
            color: "#7fa7d8",
            width: 1.2,
            arrowhead: "none",
            legend: "other treaty (fellow parties)",
        },
        LinkKind::Sanction => LinkStyle {
            color: "#c62828",
            width: 2.0,
            arrowhead: "normal",
            legend: "sanction (sender → target)",
        },
        LinkKind::Membership => LinkStyle {
            color: "#8d6e00",
            width: 1.2,
            arrowhead: "empty",
            legend: "membership (member → organization)",
        },
        LinkKind::Statement => LinkStyle {
            color: "#7b1fa2",
            width: 1.2,
            arrowhead: "vee",
            legend: "statement (speaker → subject)",
        },
        LinkKind::Role => LinkStyle {
            color: "#546e7a",
            width: 1.2,
            arrowhead: "dot",
            legend: "role (person → state or organization)",
        },
        LinkKind::Event => LinkStyle {
            color: "#ef6c00",
            width: 1.2,
            arrowhead: "none",
            legend: "event (entities involved)",
        },
    }
}

/// How a line is dashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dash {
    /// A full line.
    Solid,
    /// Dashes: the fact only possibly holds.
    Dashed,
    /// Dots: the fact ended (in a diff).
    Dotted,
}

impl Dash {
    /// The Graphviz `style` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Dash::Solid => "solid",
            Dash::Dashed => "dashed",
            Dash::Dotted => "dotted",
        }
    }
}

/// A line's final look.
#[derive(Debug, Clone, PartialEq)]
pub struct Stroke {
    /// Colour, `#rrggbb` or `#rrggbbaa` (faded).
    pub color: String,
    /// Width in points.
    pub width: f32,
    /// Dashing.
    pub dash: Dash,
    /// Arrowhead at the target (`none` for mutual links).
    pub arrowhead: &'static str,
    /// The label: a diff's mark (`+`, `−`) and the count of merged facts (`×3`), or in
    /// one-line-per-fact mode the fact's id.
    pub label: String,
}

/// Alpha suffix of faded lines (possible facts, facts that stayed in a diff).
const FADED: &str = "99";

/// How `line` is drawn. `each` says that lines are one per fact (then labelled with its id).
pub fn stroke(line: &Line, each: bool) -> Stroke {
    let base = link(line.kind);
    let mut color = base.color.to_string();
    let mut width = base.width;
    let mut dash = Dash::Solid;
    let mut mark = "";
    match line.status {
        None => {}
        Some(Status::Started) => {
            width += 1.5;
            mark = "+";
        }
        Some(Status::Ended) => {
            dash = Dash::Dotted;
            mark = "−";
        }
        Some(Status::Stayed) => {
            color.push_str(FADED);
            width = (width * 0.6).max(1.0);
        }
        Some(Status::Happened) => {
            width += 0.8;
        }
    }
    if line.certainty == Some(Certainty::Possible) && dash == Dash::Solid {
        dash = Dash::Dashed;
        if line.status != Some(Status::Stayed) {
            color.push_str(FADED);
        }
    }
    let count = if each {
        line.facts.first().cloned().unwrap_or_default()
    } else if line.facts.len() > 1 {
        format!("×{}", line.facts.len())
    } else {
        String::new()
    };
    let label = match (mark, count.is_empty()) {
        ("", _) => count,
        (m, true) => m.to_string(),
        (m, false) => format!("{m} {count}"),
    };
    Stroke {
        color,
        width,
        dash,
        arrowhead: if line.directed {
            base.arrowhead
        } else {
            "none"
        },
        label,
    }
}

/// What the legend says of a diff's change.
pub fn status_legend(s: Status) -> &'static str {
    match s {
        Status::Started => "+ started (thick)",
        Status::Ended => "− ended (dotted)",
        Status::Stayed => "stayed (faded)",
        Status::Happened => "happened between the dates",
    }
}

/// The Graphviz shape of a hub: a treaty or event of many entities, drawn as a node linked to
/// each of them.
pub const HUB_SHAPE: &str = "note";

/// The colour of a hub's title: dark, whatever the colour of its outline (a pale treaty blue
/// is too faint for text).
pub const HUB_TEXT: &str = "#263238";

/// What the legend says of hubs.
pub const HUB_LEGEND: &str = "treaty or event of many: each party linked to it";

/// How a hub is outlined: its width and dashing, from its certainty and change.
pub fn hub(h: &Hub) -> (f32, Dash) {
    let dash = match (h.status, h.certainty) {
        (Some(Status::Ended), _) => Dash::Dotted,
        (_, Some(Certainty::Possible)) => Dash::Dashed,
        _ => Dash::Solid,
    };
    let width = if h.status == Some(Status::Started) {
        2.5
    } else {
        1.2
    };
    (width, dash)
}

/// What the legend says of merged lines.
pub const MERGED_LEGEND: &str = "×N: N facts of one kind between the two";

/// What the legend says of possible facts.
pub const POSSIBLE_LEGEND: &str = "possibly in force (dashed): imprecise dates";

/// What the legend says of clusters.
pub const CLUSTER_LEGEND: &str = "box: the members of an organization";

/// What an empty diagram says.
pub const EMPTY_NOTE: &str = "Nothing to show: no fact matches these dates and filters.";

/// What a diagram's legend lists: only what the diagram shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Legend {
    /// Kinds of entity shown.
    pub entities: Vec<EntityKind>,
    /// Kinds of link drawn.
    pub links: Vec<LinkKind>,
    /// Whether some line only possibly holds.
    pub possible: bool,
    /// A diff's changes drawn.
    pub statuses: Vec<Status>,
    /// Whether some line merges several facts.
    pub merged: bool,
    /// Whether some organization is drawn as a cluster.
    pub clusters: bool,
    /// Whether some treaty or event is drawn as a hub.
    pub hubs: bool,
}

impl Legend {
    /// The legend of a diagram.
    pub fn of(p: &impl Picture) -> Legend {
        let mut l = Legend::default();
        for n in p.nodes() {
            if !l.entities.contains(&n.kind) {
                l.entities.push(n.kind);
            }
        }
        l.entities.sort();
        let merge = p.head().parallel == Parallel::Merge;
        for line in p.line_marks() {
            if !l.links.contains(&line.kind) {
                l.links.push(line.kind);
            }
            if let Some(s) = line.status
                && !l.statuses.contains(&s)
            {
                l.statuses.push(s);
            }
            l.possible |= line.certainty == Some(Certainty::Possible);
            l.merged |= merge && line.facts > 1;
        }
        l.links.sort();
        l.statuses.sort();
        l.clusters = p.clusters().next().is_some();
        l.hubs = p.hubs().next().is_some();
        l
    }

    /// Whether there is nothing to explain.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty() && self.links.is_empty()
    }
}
