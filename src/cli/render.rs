//! `dipgraph render [--on D | --all | --diff D1 D2] [--focus ID --depth N] [--kinds ...]
//! -o FILE.svg|png [--engine auto|dot|builtin]`: a picture of a diagram, drawn by Graphviz's
//! `dot` when it is installed, else by the built-in renderer.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use dipgraph::query::export::{Drawn, whole};
use dipgraph::render::picture::{self, PictureError, PictureFormat};

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
    /// The picture to write; its extension, .svg or .png, says the format.
    #[arg(short, long, value_name = "FILE", required = true)]
    pub output: PathBuf,
    /// Who draws it.
    #[arg(long, value_enum, default_value_t = Engine::Auto)]
    pub engine: Engine,
}

/// What to say when `dot` is asked for and missing.
const INSTALL_HINT: &str = "Graphviz's `dot` is not installed (not found on PATH): install Graphviz, e.g. `apt-get install graphviz` or `brew install graphviz`, or use --engine builtin";

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

/// The picture format named by the file's extension.
fn format_of(path: &Path) -> Result<PictureFormat, Failure> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("svg") => Ok(PictureFormat::Svg),
        Some("png") => Ok(PictureFormat::Png),
        _ => Err(Failure::Usage(format!(
            "cannot tell the picture format of `{}`: name the file .svg or .png (for DOT, JSON, CSV or GraphML use `dipgraph export`)",
            path.display()
        ))),
    }
}

/// Runs `render`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let format = format_of(&args.output)?;
    let dot = on_path("dot").is_some();
    let graphviz = match args.engine {
        Engine::Dot if !dot => return Err(Failure::Usage(INSTALL_HINT.to_string())),
        Engine::Dot => true,
        Engine::Auto => dot,
        Engine::Builtin => false,
    };
    args.filters.check(cx)?;
    // The built-in renderer draws memberships as lines, never as clusters.
    let dg = std::cell::RefCell::new(None);
    cx.with_store(|store| {
        let plan = args.filters.plan(cx, store, graphviz)?;
        dg.replace(Some(whole(&Drawn::of(&plan))));
        Ok(())
    })?;
    let Some(dg) = dg.into_inner() else {
        return Ok(());
    };
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
