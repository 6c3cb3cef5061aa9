//! `dipgraph synth --facts N --seed S --out DIR`: a synthetic world, for benchmarks and demos.

use std::path::PathBuf;

use dipgraph::synth::{self, Options};

use super::{Context, Failure};

/// Flags of `synth`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many facts to write (roles, memberships, treaties, sanctions, statements, events).
    #[arg(long, value_name = "N")]
    pub facts: u64,
    /// The seed: the same seed and N write the same bytes.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// The folder to write into (created if missing; it must not hold data files already).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Runs `synth`.
pub fn run(cx: &Context, args: &Args) -> Result<(), Failure> {
    let has_ron = std::fs::read_dir(&args.out).is_ok_and(|mut entries| {
        entries.any(|e| {
            e.is_ok_and(|e| {
                let p = e.path();
                p.is_dir() || p.extension().is_some_and(|x| x == "ron")
            })
        })
    });
    if has_ron {
        return Err(Failure::Usage(format!(
            "`{}` already holds data; give an empty or new folder to --out",
            args.out.display()
        )));
    }
    let opts = Options {
        facts: args.facts,
        seed: args.seed,
    };
    let s = synth::write(&opts, &args.out)
        .map_err(|e| Failure::Usage(format!("cannot write to `{}`: {e}", args.out.display())))?;
    cx.out(&format!(
        "wrote {} files to {}: {} entities, {} facts, {} bytes\n",
        s.files,
        args.out.display(),
        s.entities,
        s.facts,
        s.bytes
    ))
}
