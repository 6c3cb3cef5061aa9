//! The questions as standard SQL over the tables of the Parquet export (`dipgraph sql`): the
//! same rows and the same certainty as dipgraph's own answers, for DuckDB, Spark SQL and Trino.
//! Each date test is written once here, as comparisons on the bound columns (see
//! [`crate::model::Edges`]) or on the dates as written; the questions put them together.

mod allies;
mod diff;
mod relations;
mod sanctions;
mod show;

pub use allies::allies;
pub use diff::diff;
pub use relations::relations;
pub use sanctions::{SanctionsSql, sanctions};
pub use show::{show, show_fact};

use chrono::Duration;

use crate::model::{Date, Window};

/// Where the SQL must differ between engines: how a folder of Parquet files is named, and how
/// names are quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// DuckDB.
    DuckDb,
    /// Spark SQL.
    Spark,
    /// Trino (and Athena).
    Trino,
}

/// What the SQL reads: tables of these names, or the exported folder itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tables {
    /// The engine.
    pub dialect: Dialect,
    /// The export's folder, read directly (DuckDB, Spark); `None`: tables named `entities`,
    /// `facts`, `ties`, `readings`, `sources`.
    pub parquet: Option<String>,
}

impl Tables {
    /// How the SQL names table `name`.
    fn get(&self, name: &str) -> String {
        let Some(dir) = &self.parquet else {
            return name.to_string();
        };
        let dir = dir.trim_end_matches('/');
        let partitioned = matches!(name, "facts" | "ties");
        match self.dialect {
            Dialect::DuckDb => {
                let path = format!(
                    "{dir}/{name}/{}*.parquet",
                    if partitioned { "**/" } else { "" }
                );
                let hive = if partitioned {
                    ", hive_partitioning = true"
                } else {
                    ""
                };
                format!("read_parquet('{}'{hive})", path.replace('\'', "''"))
            }
            Dialect::Spark | Dialect::Trino => {
                format!("parquet.`{}`", format!("{dir}/{name}").replace('`', "``"))
            }
        }
    }

    /// A name quoted for the dialect (output columns such as `from` are reserved words).
    fn quote(&self, name: &str) -> String {
        match self.dialect {
            Dialect::Spark => format!("`{name}`"),
            Dialect::DuckDb | Dialect::Trino => format!("\"{name}\""),
        }
    }

    /// The name of the text type in a cast.
    fn text_type(&self) -> &'static str {
        match self.dialect {
            Dialect::Spark => "STRING",
            Dialect::DuckDb | Dialect::Trino => "VARCHAR",
        }
    }

    /// What runs before the query: Spark reads dates before 1582 written by other programs
    /// only when told they are proleptic Gregorian, as Parquet's are.
    fn preamble(&self) -> &'static str {
        match self.dialect {
            Dialect::Spark => "SET spark.sql.parquet.datetimeRebaseModeInRead=CORRECTED;\n",
            Dialect::DuckDb | Dialect::Trino => "",
        }
    }
}

/// A text as an SQL string literal.
fn text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Text for an SQL comment: on one line.
fn comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The days of a window as literals: its first day, its last, and the day after its last
/// (`None` when that would be past 9999-12-31, where no date can lie). An open end is the
/// first or last day a date can mean (0001-01-01, 9999-12-31).
struct Days {
    first: String,
    last: String,
    next: Option<String>,
}

impl Days {
    fn of(w: Window) -> Days {
        let min = chrono::NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(chrono::NaiveDate::MIN);
        let max = chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(chrono::NaiveDate::MAX);
        let day = |n: i32| {
            let d = n
                .checked_add(1)
                .and_then(chrono::NaiveDate::from_num_days_from_ce_opt)
                .unwrap_or(if n < 0 { min } else { max });
            d.clamp(min, max)
        };
        let text = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let last = day(w.last);
        Days {
            first: text(day(w.first)),
            last: text(last),
            next: (last < max)
                .then(|| last.checked_add_signed(Duration::days(1)))
                .flatten()
                .map(text),
        }
    }
}

/// The first day a date text can mean, as text (`'2020-10'` gives `'2020-10-01'`).
fn first_day(d: &str) -> String {
    format!("({d} || CASE length({d}) WHEN 4 THEN '-01-01' WHEN 7 THEN '-01' ELSE '' END)")
}

/// Whether the date text `d` can fall within the window ([`happened_within`] holds): its
/// year, month or day is not before the window's first nor after its last, cut to its length.
///
/// [`happened_within`]: crate::model::interval::happened_within
fn holds(d: &str, w: &Days) -> String {
    format!(
        "({d} <= substr('{l}', 1, length({d})) AND {d} >= substr('{f}', 1, length({d})))",
        l = w.last,
        f = w.first
    )
}

/// Whether every day the date text `d` can mean falls within the window: its first day is
/// on or after the window's first, and it comes before the day after the window's last, cut
/// to its length.
fn certain(d: &str, w: &Days) -> String {
    let start = format!("{} >= '{}'", first_day(d), w.first);
    match &w.next {
        Some(n) => format!("({start} AND {d} < substr('{n}', 1, length({d})))"),
        None => format!("({start})"),
    }
}

/// 2 when the row's dates (alias `t`: `point`, `start_lo`, `start_hi`, `end_lo`, `end_hi`)
/// hold on every day of the window, 1 on some, 0 on none: [`crate::model::Interval::status`]
/// for a span, [`crate::model::interval::happened_within`] for a point.
fn level(t: &str, d: &Days) -> String {
    level_at(
        t,
        &format!("DATE '{}'", d.first),
        &format!("DATE '{}'", d.last),
    )
}

/// [`level`] on the window from the first day `f` through the last day `l`, two SQL
/// expressions of type DATE (columns of another row, for a window that differs by row).
fn level_at(t: &str, f: &str, l: &str) -> String {
    format!(
        "CASE WHEN {t}.point THEN \
           CASE WHEN {t}.start_lo >= {f} AND {t}.start_hi <= {l} THEN 2 \
                WHEN {t}.start_lo <= {l} AND {t}.start_hi >= {f} THEN 1 ELSE 0 END \
         ELSE \
           CASE WHEN ({t}.start_hi IS NULL OR {t}.start_hi <= {f}) \
                 AND ({t}.end_lo IS NULL OR {l} < {t}.end_lo) THEN 2 \
                WHEN ({t}.start_lo IS NULL OR {t}.start_lo <= {l}) \
                 AND ({t}.end_hi IS NULL OR {f} < {t}.end_hi) \
                 AND ({t}.start_lo IS NULL OR {t}.end_hi IS NULL OR {t}.start_lo < {t}.end_hi) THEN 1 \
                ELSE 0 END \
         END"
    )
}

/// The certainty word of a level.
fn word(level: &str) -> String {
    format!("CASE {level} WHEN 2 THEN 'certain' WHEN 1 THEN 'possible' ELSE 'no' END")
}

/// The CTEs `tl` (the ties that `filter` keeps, with the level of their own dates), `rl` (each
/// fact's or party's other readings: their lowest and highest level) and `tc` (each tie with
/// its level over every reading: certain if all are, possible if any holds). The ties are `t`
/// in `filter`.
fn tie_levels(tables: &Tables, d: &Days, filter: &str) -> String {
    format!(
        "tl AS (\n  SELECT t.fact, t.kind, t.entity, t.role, t.party, t.from_text, t.until_text, t.on_text, t.start_lo,\n         {own} AS own\n  FROM {ties} t\n  WHERE {filter}\n),\n\
         rl AS (\n  SELECT r.fact, r.party, MIN({rlevel}) AS lo, MAX({rlevel}) AS hi\n  FROM {readings} r\n  GROUP BY r.fact, r.party\n),\n\
         tc AS (\n  SELECT tl.*,\n         CASE WHEN tl.own = 2 AND COALESCE(rl.lo, 2) = 2 THEN 2\n              WHEN tl.own >= 1 OR COALESCE(rl.hi, 0) >= 1 THEN 1 ELSE 0 END AS level\n  FROM tl LEFT JOIN rl ON rl.fact = tl.fact AND rl.party = tl.party\n)",
        own = level("t", d),
        rlevel = level("r", d),
        ties = tables.get("ties"),
        readings = tables.get("readings"),
    )
}

/// The window of one date.
fn days_of(on: Date) -> Days {
    Days::of(Window::of(on))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_is_three_day_literals() {
        let d = days_of(Date::parse("2020-02").expect("date"));
        assert_eq!(
            (d.first.as_str(), d.last.as_str(), d.next.as_deref()),
            ("2020-02-01", "2020-02-29", Some("2020-03-01"))
        );
        let open = Days::of(Window::EVER);
        assert_eq!(
            (open.first.as_str(), open.last.as_str(), open.next),
            ("0001-01-01", "9999-12-31", None)
        );
        let to = Days::of(Window::between(None, Date::parse("9999").ok()));
        assert_eq!((to.first.as_str(), to.next), ("0001-01-01", None));
    }

    #[test]
    fn folders_are_named_as_each_engine_reads_them() {
        let t = |dialect| Tables {
            dialect,
            parquet: Some("out/it's".into()),
        };
        assert_eq!(
            t(Dialect::DuckDb).get("facts"),
            "read_parquet('out/it''s/facts/**/*.parquet', hive_partitioning = true)"
        );
        assert_eq!(
            t(Dialect::DuckDb).get("entities"),
            "read_parquet('out/it''s/entities/*.parquet')"
        );
        assert_eq!(t(Dialect::Spark).get("ties"), "parquet.`out/it's/ties`");
        let plain = Tables {
            dialect: Dialect::Trino,
            parquet: None,
        };
        assert_eq!(plain.get("ties"), "ties");
    }

    /// The text tests of [`holds`] and [`certain`], done on the texts as an engine does them,
    /// agree with [`happened_within`] on dates of every precision, in bounded and open
    /// windows.
    ///
    /// [`happened_within`]: crate::model::interval::happened_within
    #[test]
    fn text_tests_agree_with_the_model() {
        use crate::model::Certainty;
        use crate::model::interval::happened_within;
        let dates = [
            "0001",
            "2019",
            "2020",
            "2021",
            "2020-02",
            "2020-03",
            "2020-12",
            "2020-02-29",
            "2020-03-01",
            "2021-01-01",
            "2020-12-31",
            "9999",
            "9999-12",
            "9999-12-31",
        ];
        let date = |s: &str| Date::parse(s).expect("date");
        let windows = [
            (Some("2020-02-29"), Some("2020-03-01")),
            (Some("2020-01-01"), Some("2020-12-31")),
            (Some("2020-03-01"), Some("2020-03-31")),
            (Some("2020-02-10"), Some("2021-01-01")),
            (None, Some("2020-02")),
            (Some("2020-12-31"), None),
            (Some("9999-12"), Some("9999")),
            (None, None),
        ];
        for (a, b) in windows {
            let w = Window::between(a.map(date), b.map(date));
            let days = Days::of(w);
            for d in dates {
                let want = happened_within(date(d), w);
                let first = format!(
                    "{d}{}",
                    match d.len() {
                        4 => "-01-01",
                        7 => "-01",
                        _ => "",
                    }
                );
                let cut = |s: &str| s[..d.len().min(s.len())].to_string();
                let h = d <= cut(&days.last).as_str() && d >= cut(&days.first).as_str();
                let c =
                    first >= days.first && days.next.as_deref().is_none_or(|n| d < cut(n).as_str());
                assert_eq!(want.holds(), h, "{d} in {a:?}..{b:?}");
                assert_eq!(want == Certainty::Certain, c, "{d} in {a:?}..{b:?}");
            }
        }
    }
}
