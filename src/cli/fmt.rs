//! `dipgraph fmt [--check] [PATH...]`: the canonical layout for data and query files, with
//! every comment kept. `--check` only lists the files that would change.

use std::path::{Path, PathBuf};

use dipgraph::diag::Diagnostic;
use dipgraph::load::{self, DataSource, Input, atomic, format};
use dipgraph::model::{FileId, SourceFile};

use super::{Context, Failure};

/// Flags of `fmt`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write nothing: list the files that are not formatted, and exit 1 if there are any.
    #[arg(long)]
    pub check: bool,
    /// Files or folders (every `*.ron` under them). Default: the data folder, and `queries/`
    /// when it exists.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// The files to format: those named, or every `*.ron` under the folders named.
fn inputs(cx: &Context, args: &Args) -> Result<(Vec<Input>, Vec<Diagnostic>), Failure> {
    let paths = if args.paths.is_empty() {
        let mut v = match cx.source.clone().map_err(Failure::Usage)? {
            DataSource::Path(p) => vec![p],
            DataSource::Bundled | DataSource::Revision(_) => {
                return Err(Failure::Usage(
                    "there is no ./graph folder here; name the files or folders to format".into(),
                ));
            }
        };
        let queries = PathBuf::from("queries");
        if queries.is_dir() {
            v.push(queries);
        }
        v
    } else {
        args.paths.clone()
    };
    let mut inputs: Vec<Input> = Vec::new();
    let mut diags = Vec::new();
    for p in &paths {
        if !p.exists() {
            return Err(Failure::Usage(format!("`{}` does not exist", p.display())));
        }
        if p.is_file() {
            // A file named on the command line is formatted whatever its extension.
            inputs.push(Input {
                path: p.to_string_lossy().into_owned(),
                bytes: std::fs::read(p).map_err(|e| e.to_string()),
            });
        } else {
            let (found, problems) = load::discover(p);
            inputs.extend(found);
            diags.extend(problems);
        }
    }
    let mut seen = std::collections::HashSet::new();
    inputs.retain(|i| seen.insert(i.path.clone()));
    Ok((inputs, diags))
}

/// Runs `fmt`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let (inputs, mut diags) = inputs(cx, args)?;
    let mut files = Vec::with_capacity(inputs.len());
    let mut changed: Vec<(String, String)> = Vec::new();
    for (n, input) in inputs.into_iter().enumerate() {
        let file = FileId(u32::try_from(n).unwrap_or(u32::MAX));
        let text = match input.bytes {
            Err(e) => {
                diags.push(
                    Diagnostic::for_path(
                        dipgraph::diag::Code::Unreadable,
                        &input.path,
                        format!("cannot be read: {e}"),
                    )
                    .hint("check that the file exists and that you may read it"),
                );
                String::new()
            }
            Ok(bytes) => match load::decode(bytes.clone(), file) {
                Err(bad) => {
                    let (lossy, d) = *bad;
                    diags.push(d);
                    lossy
                }
                Ok(text) => {
                    match format::format_source(&text) {
                        Ok(out) if out.as_bytes() != bytes.as_slice() => {
                            changed.push((input.path.clone(), out));
                        }
                        Ok(_) => {}
                        Err(e) => diags.push(e.diagnostic(file)),
                    }
                    text
                }
            },
        };
        files.push(SourceFile {
            path: input.path,
            text,
        });
    }
    let mut listing = String::new();
    for (path, out) in &changed {
        if args.check {
            listing.push_str(&format!("{path}\n"));
        } else {
            atomic::write(Path::new(path), out.as_bytes())
                .map_err(|e| Failure::Usage(format!("cannot write `{path}`: {e}")))?;
            listing.push_str(&format!("formatted {path}\n"));
        }
    }
    cx.out(&listing)?;
    let mut report = String::new();
    if !diags.is_empty() {
        dipgraph::diag::sort(&mut diags);
        report.push_str(&super::context::for_stderr(&diags, &files));
        let n = files_with_problems(&diags);
        report.push_str(&format!(
            "error: {n} file{} could not be formatted; {} left unchanged\n",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it is" } else { "they are" },
        ));
    }
    if args.check && !changed.is_empty() {
        let n = changed.len();
        report.push_str(&format!(
            "error: {n} file{} not formatted; run `dipgraph fmt` to format {}\n",
            if n == 1 { " is" } else { "s are" },
            if n == 1 { "it" } else { "them" },
        ));
    }
    if report.is_empty() {
        Ok(())
    } else {
        Err(Failure::Data(report))
    }
}

fn files_with_problems(diags: &[Diagnostic]) -> usize {
    let mut seen = std::collections::HashSet::new();
    for d in diags {
        seen.insert(match &d.primary {
            Some(p) => format!("#{}", p.file.0),
            None => d.path.clone().unwrap_or_default(),
        });
    }
    seen.len()
}
