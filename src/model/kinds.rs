//! The closed vocabularies of the format: organization, treaty, measure, stance and event kinds.

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name as written in data files.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => stringify!($variant)),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// What an organization is.
    OrgKind {
        /// Members pool sovereignty (the EU).
        Supranational,
        /// States cooperate (the CIS).
        Intergovernmental,
        /// A military alliance's organization (NATO, the CSTO).
        Alliance,
        /// A government or one of its offices.
        Government,
        /// An agency (OFAC, the Council of the EU).
        Agency,
        /// News media.
        Media,
        /// A polling organization.
        Pollster,
        /// A company.
        Company,
        /// A political party.
        Party,
        /// A non-governmental organization.
        Ngo,
        /// Anything else.
        Other,
    }
}

vocabulary! {
    /// What a treaty does. The first five are the alliance kinds (after the Correlates of War
    /// alliance types, plus a union).
    TreatyKind {
        /// Mutual defence pact.
        Defense,
        /// Neutrality pact.
        Neutrality,
        /// Non-aggression pact.
        NonAggression,
        /// Entente: consultation in a crisis.
        Entente,
        /// A union of states.
        Union,
        /// Economic integration or trade.
        Economic,
        /// Political cooperation, founding acts.
        Political,
        /// Anything else.
        Other,
    }
}

impl TreatyKind {
    /// Whether parties to such a treaty are allies.
    pub fn is_alliance(self) -> bool {
        matches!(
            self,
            TreatyKind::Defense
                | TreatyKind::Neutrality
                | TreatyKind::NonAggression
                | TreatyKind::Entente
                | TreatyKind::Union
        )
    }
}

vocabulary! {
    /// A sanction's measures.
    Measure {
        /// Freezing of funds and economic resources.
        AssetFreeze,
        /// Ban on entry or transit.
        TravelBan,
        /// Ban on arms trade.
        ArmsEmbargo,
        /// Import or export restrictions.
        TradeRestriction,
        /// Restrictions on finance, debt, capital markets.
        FinancialRestriction,
        /// Ban on flights or carriers.
        AviationBan,
        /// Sector-wide economic sanctions.
        SectoralSanctions,
        /// Anything else.
        Other,
    }
}

vocabulary! {
    /// The tone of a statement toward what it is about.
    Stance {
        /// Warm, supportive.
        Friendly,
        /// Critical, threatening.
        Hostile,
        /// Neither.
        Neutral,
        /// Both.
        Mixed,
    }
}

vocabulary! {
    /// What kind of event.
    EventKind {
        /// An election or referendum.
        Election,
        /// Protests, demonstrations.
        Protest,
        /// A bilateral meeting.
        Meeting,
        /// A multilateral summit.
        Summit,
        /// An incident (a forced landing, a border clash).
        Incident,
        /// An opinion poll's publication.
        Poll,
        /// A crackdown by authorities.
        Crackdown,
        /// Anything else.
        Other,
    }
}

vocabulary! {
    /// What a source is, where it matters to the checks. A source with no `kind` is taken to
    /// report what it backs as it happened.
    SourceKind {
        /// Written after the fact, looking back: a history, a reference work or data set, a
        /// consolidated text, a later act whose recitals recount earlier ones. The check that a
        /// source was published near the dates it backs (`W0103`) passes over it.
        Retrospective,
    }
}
