//! `dipgraph render [--on D | --all | --diff D1 D2] [--focus ID --depth N] [--kinds ...]
//! -o FILE.svg|png|html [--engine auto|dot|builtin]`: a picture of a diagram, drawn by
//! Graphviz's `dot` when it is installed, else by the built-in renderer; or, to an `.html`
//! file, the interactive timeline of the diagram from `--from` to `--to`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use dipgraph::model::{Date, When};
use dipgraph::query::export::{self, Drawn, Scope, whole};
use dipgraph::render::picture::{self, PictureError, PictureFormat};
use dipgraph::render::timeline;

use super::export::{Filters, write_atomic};
use super::{Context, Failure};

/// Who draws the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    /// Graphviz's `dot` when it is on PATH, else the built-in renderer.
    Auto,
    /// Graphviz's `dot` (an error when it is not installed).
    Dot,
    /// The built-in renderer: needs nothing installed.
    Builtin,
}

/// Flags of `render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filters: Filters,
    /// The file to write; its extension says what: a picture (.svg or .png), or the
    /// interactive timeline from --from to --to (.html).
    #[arg(short, long, value_name = "FILE", required = true)]
    pub output: PathBuf,
    /// Who draws it.
    #[arg(long, value_enum, default_value_t = Engine::Auto)]
    pub engine: Engine,
    /// Draw a diagram even when it is too large to be read (more than 80 boxes or 200
    /// lines); without it, such a diagram is refused with a hint to narrow it.
    #[arg(long)]
    pub large: bool,
}

/// What to say when `dot` is asked for and missing.
const INSTALL_HINT: &str = "Graphviz's `dot` is not installed (not found on PATH): install Graphviz, e.g. `apt-get install graphviz` or `brew install graphviz`, or use --engine builtin";

/// What to say of a diagram too large to be read.
pub const NARROW_HINT: &str = "narrow it with --focus ID (with --depth 1), --kinds K,... or one date (--on) instead of --all, or pass --large to draw it anyway";

/// The executable `name` in a folder of PATH, searched as the shell would.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|d| !d.as_os_str().is_empty())
        .flat_map(|d| [d.join(name), d.join(format!("{name}.exe"))])
        .find(|p| executable(p))
}

#[cfg(unix)]
fn executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn executable(p: &Path) -> bool {
    p.is_file()
}

/// What a file name asks for: a picture, or the timeline page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    Picture(PictureFormat),
    Timeline,
}

/// The output named by the file's extension.
fn output_of(path: &Path) -> Result<Output, Failure> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("svg") => Ok(Output::Picture(PictureFormat::Svg)),
        Some("png") => Ok(Output::Picture(PictureFormat::Png)),
        Some("html" | "htm") => Ok(Output::Timeline),
        _ => Err(Failure::Usage(format!(
            "cannot tell the picture format of `{}`: name the file .svg or .png (or .html for the timeline; for DOT, JSON, CSV or GraphML use `dipgraph export`)",
            path.display()
        ))),
    }
}

/// Runs `render`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let output = output_of(&args.output)?;
    let dot = on_path("dot").is_some();
    let graphviz = match args.engine {
        Engine::Dot if !dot => return Err(Failure::Usage(INSTALL_HINT.to_string())),
        Engine::Dot => true,
        Engine::Auto => dot,
        Engine::Builtin => false,
    };
    args.filters.check(cx)?;
    let format = match output {
        Output::Picture(f) => f,
        Output::Timeline => return run_timeline(cx, args, graphviz),
    };
    let dg = std::cell::RefCell::new(None);
    cx.with_store(|store| {
        let plan = args.filters.plan(cx, store, true)?;
        dg.replace(Some(whole(&Drawn::of(&plan))));
        Ok(())
    })?;
    let Some(dg) = dg.into_inner() else {
        return Ok(());
    };
    if !args.large
        && let Some(why) = picture::too_large(&dg)
    {
        return Err(Failure::Usage(format!("{why}: {NARROW_HINT}")));
    }
    let bytes = if graphviz {
        picture::with_graphviz(&dg, format)
    } else {
        picture::builtin(&dg, format)
    }
    .map_err(|e| match e {
        PictureError::DotMissing => Failure::Usage(INSTALL_HINT.to_string()),
        other => Failure::Usage(other.to_string()),
    })?;
    write_atomic(&args.output, |out| out.write_all(&bytes))?;
    let note = format!(
        "wrote {} ({}, drawn by {}): {} entit{}, {} line{}\n",
        args.output.display(),
        match format {
            PictureFormat::Svg => "SVG",
            PictureFormat::Png => "PNG",
        },
        if graphviz {
            "Graphviz dot"
        } else {
            "the built-in renderer"
        },
        dg.nodes.len(),
        if dg.nodes.len() == 1 { "y" } else { "ies" },
        dg.lines.len(),
        if dg.lines.len() == 1 { "" } else { "s" },
    );
    let note = dipgraph::diag::escape::terminal(&note);
    let _ = std::io::stderr().write_all(note.as_bytes());
    Ok(())
}

/// Writes the timeline page: the diagram on every day from `--from` (default: the earliest
/// date of what it can show) to `--to` (default: today), laid out once by Graphviz or the
/// built-in renderer, opening on `--on` (default: `--to`).
fn run_timeline(cx: &Context, args: &Args, graphviz: bool) -> Result<(), Failure> {
    let f = &args.filters;
    if f.all || f.diff.is_some() {
        return Err(Failure::Usage(
            "a timeline runs over a period: give it with --from and --to (and the day it opens on with --on), not --all or --diff".to_string(),
        ));
    }
    let to = f.to.unwrap_or_else(|| cx.on(None));
    let made = std::cell::RefCell::new(None);
    cx.with_store(|store| {
        let focus = match &f.focus {
            Some(text) => Some(cx.entity(store, text)?),
            None => None,
        };
        let opts = f.options(Scope::All, focus, false);
        let from = match f.from {
            Some(d) => d,
            None => earliest(store, &opts)?.unwrap_or(to),
        };
        if from.first() > to.last() {
            return Err(Failure::Usage(format!(
                "the timeline would start on {from}, after --to {to}: give an earlier --from"
            )));
        }
        let mut p = export::period(store, &opts, from, to)?;
        if let Some(note) = cx.recorded_in_title() {
            p.union.title.push_str(&note);
        }
        made.replace(Some((p, store.entities().to_vec())));
        Ok(())
    })?;
    let Some((p, entities)) = made.into_inner() else {
        return Ok(());
    };
    if !args.large
        && let Some(why) = picture::too_large(&p.union)
    {
        return Err(Failure::Usage(format!("{why}: {NARROW_HINT}")));
    }
    let (svg, engine) = if graphviz {
        let bytes = picture::with_graphviz(&p.union, PictureFormat::Svg).map_err(|e| match e {
            PictureError::DotMissing => Failure::Usage(INSTALL_HINT.to_string()),
            other => Failure::Usage(other.to_string()),
        })?;
        (String::from_utf8_lossy(&bytes).into_owned(), "Graphviz dot")
    } else {
        (picture::builtin_svg(&p.union), "the built-in renderer")
    };
    let opens = f.on.unwrap_or(p.to);
    let html = timeline::page(&p, &svg, &entities, engine, opens);
    write_atomic(&args.output, |out| out.write_all(html.as_bytes()))?;
    let note = format!(
        "wrote {} (HTML timeline, laid out by {engine}): {} to {}, {} change{}, {} entities, {} lines\n",
        args.output.display(),
        p.from,
        p.to,
        p.steps.len(),
        if p.steps.len() == 1 { "" } else { "s" },
        p.union.nodes.len(),
        p.union.lines.len(),
    );
    let _ = std::io::stderr().write_all(note.as_bytes());
    Ok(())
}

/// The earliest date of the facts a diagram of `opts` can show at any date.
fn earliest(
    store: &dyn dipgraph::store::Store,
    opts: &export::ExportOptions,
) -> Result<Option<Date>, Failure> {
    let all = export::diagram(store, opts)?;
    let mut first: Option<Date> = None;
    for e in &all.edges {
        if let Some(n) = store.fact_of(&e.fact)? {
            let start = match store.fact(n)?.when {
                When::On(d) => Some(d),
                When::Span(i) => i.from,
            };
            if let Some(d) = start
                && first.is_none_or(|x| d.first() < x.first())
            {
                first = Some(d);
            }
        }
    }
    Ok(first)
}
