//! What the writers read of a diagram, whether it is held whole ([`Diagram`]) or compact
//! ([`super::Plan`], [`super::Drawn`]): its heading, its nodes and edges ([`View`]), and the
//! lines, hubs and clusters a picture draws ([`Picture`]), an item at a time.

use std::borrow::Cow;

use super::{Cluster, Diagram, Hub, Line, Node, Parallel, Scope, Status};
use crate::graph::LinkKind;
use crate::model::{Certainty, Date, FactKind};

/// What a diagram says of itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head<'a> {
    /// A title saying the date(s) and the filters.
    pub title: &'a str,
    /// Which dates.
    pub scope: Scope,
    /// The entity the diagram is centred on.
    pub focus: Option<&'a str>,
    /// Hops from the focus.
    pub depth: Option<usize>,
    /// The kinds shown (empty: all).
    pub kinds: &'a [LinkKind],
    /// Statements and events from this date.
    pub points_from: Option<Date>,
    /// Statements and events up to this date.
    pub points_to: Option<Date>,
    /// Whether parallel facts are merged into one line or drawn each.
    pub parallel: Parallel,
}

/// An edge's id (see [`super::Edge::id`]), written out only where it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeId<'a> {
    /// Written out.
    Text(&'a str),
    /// `fact:from:to`, with `:period` from the second period on.
    Parts {
        /// The fact's id.
        fact: &'a str,
        /// Where the edge runs from.
        from: &'a str,
        /// Where it runs to.
        to: &'a str,
        /// Which period of the pair in the fact: 1, 2, ...
        period: usize,
    },
}

impl std::fmt::Display for EdgeId<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            EdgeId::Text(t) => f.write_str(t),
            EdgeId::Parts {
                fact,
                from,
                to,
                period,
            } => {
                write!(f, "{fact}:{from}:{to}")?;
                if period > 1 {
                    write!(f, ":{period}")?;
                }
                Ok(())
            }
        }
    }
}

impl serde::Serialize for EdgeId<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One edge (see [`super::Edge`]), its strings borrowed, with the names of its two entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeView<'a> {
    /// Unique within the diagram.
    pub id: EdgeId<'a>,
    /// The fact's id.
    pub fact: &'a str,
    /// The kind of link.
    pub kind: LinkKind,
    /// The fact's record kind.
    pub fact_kind: FactKind,
    /// Where it runs from.
    pub from: &'a str,
    /// Where it runs to.
    pub to: &'a str,
    /// The name of the entity it runs from.
    pub from_name: &'a str,
    /// The name of the entity it runs to.
    pub to_name: &'a str,
    /// Whether it has a direction.
    pub directed: bool,
    /// Start of the period.
    pub start: Option<Date>,
    /// End of the period (exclusive).
    pub end: Option<Date>,
    /// Whether it is a statement or event on a date.
    pub point: bool,
    /// Certain or possible; none at any date.
    pub certainty: Option<Certainty>,
    /// How it changed, in a diff.
    pub status: Option<Status>,
    /// One line saying what the fact is.
    pub title: &'a str,
}

/// The nodes and edges of a diagram, in their order: what an edge list, a JSON graph or
/// GraphML writes.
pub trait View {
    /// What the diagram says of itself.
    fn head(&self) -> Head<'_>;
    /// The entities, sorted by id.
    fn nodes(&self) -> impl Iterator<Item = Cow<'_, Node>>;
    /// One per fact and pair, sorted by from, to, kind, fact, start.
    fn edges(&self) -> impl Iterator<Item = EdgeView<'_>>;
}

/// What a legend tells of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineMark {
    /// The kind of link.
    pub kind: LinkKind,
    /// How it changed, in a diff.
    pub status: Option<Status>,
    /// Certain or possible; none at any date.
    pub certainty: Option<Certainty>,
    /// How many facts it draws.
    pub facts: usize,
}

/// What a picture draws besides: lines, hubs and clusters (see [`Diagram`]).
pub trait Picture: View {
    /// The shown entity with this id.
    fn node(&self, id: &str) -> Option<Cow<'_, Node>>;
    /// The lines, sorted by from, to, kind.
    fn lines(&self) -> impl Iterator<Item = Cow<'_, Line>>;

    /// What the legend tells of each line, in the order of [`Picture::lines`].
    fn line_marks(&self) -> impl Iterator<Item = LineMark> {
        self.lines().map(|l| LineMark {
            kind: l.kind,
            status: l.status,
            certainty: l.certainty,
            facts: l.facts.len(),
        })
    }

    /// Treaties and events drawn as hubs, sorted by id.
    fn hubs(&self) -> impl Iterator<Item = Cow<'_, Hub>>;
    /// Organizations drawn as clusters of their members.
    fn clusters(&self) -> impl Iterator<Item = Cow<'_, Cluster>>;
    /// Whether `id` is a hub's.
    fn is_hub(&self, id: &str) -> bool;
    /// Whether nothing is shown.
    fn is_empty(&self) -> bool;
}

impl View for Diagram {
    fn head(&self) -> Head<'_> {
        Head {
            title: &self.title,
            scope: self.scope,
            focus: self.focus.as_deref(),
            depth: self.depth,
            kinds: &self.kinds,
            points_from: self.points_from,
            points_to: self.points_to,
            parallel: self.parallel,
        }
    }

    fn nodes(&self) -> impl Iterator<Item = Cow<'_, Node>> {
        self.nodes.iter().map(Cow::Borrowed)
    }

    fn edges(&self) -> impl Iterator<Item = EdgeView<'_>> {
        let name = |id: &str| self.node(id).map_or("", |n| n.name.as_str());
        self.edges.iter().map(move |e| EdgeView {
            id: EdgeId::Text(&e.id),
            fact: &e.fact,
            kind: e.kind,
            fact_kind: e.fact_kind,
            from: &e.from,
            to: &e.to,
            from_name: name(&e.from),
            to_name: name(&e.to),
            directed: e.directed,
            start: e.start,
            end: e.end,
            point: e.point,
            certainty: e.certainty,
            status: e.status,
            title: &e.title,
        })
    }
}

impl Picture for Diagram {
    fn node(&self, id: &str) -> Option<Cow<'_, Node>> {
        Diagram::node(self, id).map(Cow::Borrowed)
    }

    fn lines(&self) -> impl Iterator<Item = Cow<'_, Line>> {
        self.lines.iter().map(Cow::Borrowed)
    }

    fn hubs(&self) -> impl Iterator<Item = Cow<'_, Hub>> {
        self.hubs.iter().map(Cow::Borrowed)
    }

    fn clusters(&self) -> impl Iterator<Item = Cow<'_, Cluster>> {
        self.clusters.iter().map(Cow::Borrowed)
    }

    fn is_hub(&self, id: &str) -> bool {
        self.hub(id).is_some()
    }

    fn is_empty(&self) -> bool {
        Diagram::is_empty(self)
    }
}
