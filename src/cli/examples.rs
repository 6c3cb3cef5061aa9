//! The examples at the end of each command's `--help`: real commands on the bundled world
//! (`tests/cli/help.rs` runs the ones that only read).

/// `validate`.
pub const VALIDATE: &str = "Examples:
  dipgraph validate
  dipgraph --format json validate
  dipgraph --data path/to/graph validate";

/// `show`.
pub const SHOW: &str = "Examples:
  dipgraph show belarus
  dipgraph show \"Dmitry Peskov\"
  dipgraph show BLR --on 2021-03-15";

/// `stats`.
pub const STATS: &str = "Examples:
  dipgraph stats
  dipgraph --format json stats";

/// `allies`.
pub const ALLIES: &str = "Examples:
  dipgraph allies belarus --on 2021-03-15
  dipgraph allies UZB --on 2012
  dipgraph --format csv allies RUS --on 2000-01-27";

/// `sanctions`.
pub const SANCTIONS: &str = "Examples:
  dipgraph sanctions --against BLR --on 2021-01-01
  dipgraph sanctions --against BLR --tied --on 2021-01-01
  dipgraph sanctions --by POL --members --on 2021-06";

/// `relations`.
pub const RELATIONS: &str = "Examples:
  dipgraph relations EU BLR --from 2019 --to 2022
  dipgraph relations RUS BLR";

/// `timeline`.
pub const TIMELINE: &str = "Examples:
  dipgraph timeline lukashenko
  dipgraph timeline UZB --from 1990 --to 2013";

/// `statements`.
pub const STATEMENTS: &str = "Examples:
  dipgraph statements --by RUS --roles --about BLR
  dipgraph statements --about BLR --from 2020-08 --to 2021-03";

/// `path`.
pub const PATH: &str = "Examples:
  dipgraph path GBR RUS --on 2021-03-15
  dipgraph path USA BLR --on 2021-03-15 --kinds sanction,alliance";

/// `diff`.
pub const DIFF: &str = "Examples:
  dipgraph diff 2020-08-01 2021-03-15 --around BLR
  dipgraph diff 1999 2000";

/// `changes`.
pub const CHANGES: &str = "Examples:
  dipgraph changes
  dipgraph changes HEAD~1..HEAD --effects 2012-06-01
  dipgraph changes main...HEAD --format markdown";

/// `query`.
pub const QUERY: &str = "Examples:
  dipgraph query queries/allies-blr-union-state.ron
  dipgraph --format json query queries";

/// `check`.
pub const CHECK: &str = "Examples:
  dipgraph check
  dipgraph check --queries queries";

/// `export`.
pub const EXPORT: &str = "Examples:
  dipgraph export dot --on 2021-03-15 --focus BLR -o belarus.dot
  dipgraph export json --diff 2020-08-01 2021-03-15 --kinds sanction
  dipgraph export parquet --all -o out";

/// `sql`.
pub const SQL: &str = "Examples:
  dipgraph sql sanctions --against BLR --tied --on 2021-01-01
  dipgraph sql relations RUS BLR --from 2019 --to 2022 --dialect spark
  dipgraph sql diff 2020-08-01 2021-03-15 --dialect trino";

/// `render`.
pub const RENDER: &str = "Examples:
  dipgraph render --on 2021-03-15 --focus BLR -o belarus.png
  dipgraph render --diff 2020-08-01 2021-03-15 --kinds sanction -o sanctions.svg
  dipgraph render --focus BLR --from 1991 --to 2022 -o belarus.html";

/// `fmt`.
pub const FMT: &str = "Examples:
  dipgraph fmt --check graph queries
  dipgraph fmt graph/sanctions/eu.ron";

/// `add`.
pub const ADD: &str = "Examples:
  dipgraph add person --id jane-doe --name \"Jane Doe\" --dry-run
  dipgraph add sanction --help
  dipgraph add party --help";

/// `synth`.
pub const SYNTH: &str = "Examples:
  dipgraph synth --facts 100000 --seed 1 --out /tmp/world
  dipgraph --data /tmp/world allies UKR --on 2020-01-01";

/// `import`.
pub const IMPORT: &str = "Examples:
  dipgraph import cow-states states2016.csv --dry-run
  dipgraph import cow-alliances alliance_v4.1_by_member.csv
  dipgraph import gdelt 20210315000000.export.CSV.zip";

/// `cache`.
pub const CACHE: &str = "Examples:
  dipgraph cache list
  dipgraph cache verify --data path/to/large/graph
  dipgraph cache clean";
