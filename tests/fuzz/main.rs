//! Fuzz targets that stay in the repository, on stable Rust: inputs mutated from the bundled
//! `graph/` and `queries/` (and the findings kept in `tests/fuzz/corpus/TARGET/`), fed to the
//! loader and the checks, `fmt`, the date parser, the saved-query parser, and the binary.
//! None may panic or hang; each says what else must hold. `cargo test` runs each for about a
//! second; `DIPGRAPH_FUZZ_SECONDS=N` runs each for N seconds (see `docs/reliability.md`).

mod harness;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dipgraph::cache::codec::Enc;
use dipgraph::diag::render;
use dipgraph::load::{self, DataSource, Input, format};
use dipgraph::model::{Dataset, Date, SourceFile};
use dipgraph::query::{ask, saved};
use dipgraph::store::{MemoryStore, Store};
use dipgraph::validate;

use harness::{HANG, fuzz, ron_seeds};

/// The bundled files that hold the entities, which most facts name.
const ENTITY_FILES: [&str; 3] = ["organizations.ron", "people.ron", "states.ron"];

fn entity_inputs() -> Vec<Input> {
    load::bundled()
        .into_iter()
        .filter(|i| ENTITY_FILES.iter().any(|f| i.path.ends_with(f)))
        .collect()
}

/// Every label of every diagnostic lies within its file, on character boundaries.
fn labels_in_place(
    diags: &[dipgraph::diag::Diagnostic],
    files: &[SourceFile],
) -> Result<(), String> {
    for d in diags {
        for l in d.primary.iter().chain(&d.secondary) {
            let text = &files
                .get(l.file.0 as usize)
                .ok_or_else(|| format!("{}: no file {}", d.code, l.file.0))?
                .text;
            if text.get(l.span.range()).is_none() {
                return Err(format!(
                    "{}: {:?} is outside its file or splits a character",
                    d.code, l.span
                ));
            }
        }
    }
    Ok(())
}

/// Loader and checks: any bytes as a data file beside the bundled entities. No panic; every
/// problem is a diagnostic in its place, and renders.
#[test]
fn load_and_validate() {
    let entities = entity_inputs();
    let ran = fuzz("load", &ron_seeds(), |bytes| {
        let mut inputs = entities.clone();
        inputs.push(Input {
            path: "graph/zz-fuzz.ron".into(),
            bytes: Ok(bytes.to_vec()),
        });
        let mut loaded = load::load_inputs(inputs, Vec::new());
        loaded.diagnostics.extend(validate::check(&loaded.dataset));
        labels_in_place(&loaded.diagnostics, &loaded.dataset.files)?;
        let shown = render::to_text(&loaded.diagnostics, &loaded.dataset.files);
        if shown.contains('\u{1b}') || shown.contains('\u{7}') {
            return Err("a diagnostic shows a raw control character".into());
        }
        let clean = loaded.diagnostics.is_empty();
        let store = MemoryStore::new(loaded.dataset, clean);
        let _ = dipgraph::query::stats::stats(&store);
        Ok(())
    });
    assert!(ran.cases > 0);
}

/// The records of `data`, without their places: what formatting must keep.
fn records(data: &Dataset) -> Vec<u8> {
    let mut e = Enc::default();
    for x in &data.entities {
        e.entity(x);
    }
    for f in &data.facts {
        e.fact(f);
    }
    e.0
}

/// The problems' codes, in order: what formatting must keep too.
fn codes(loaded: &load::Loaded) -> Vec<&'static str> {
    let mut all: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code.as_str()).collect();
    all.extend(
        validate::check(&loaded.dataset)
            .iter()
            .map(|d| d.code.as_str()),
    );
    all.sort_unstable();
    all
}

/// `fmt`: text it formats loads as the same records with the same problems, and formatting
/// it again changes nothing.
#[test]
fn fmt_keeps_meaning_and_is_idempotent() {
    let ran = fuzz("fmt", &ron_seeds(), |bytes| {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Ok(());
        };
        let Ok(out) = format::format_source(text) else {
            return Ok(());
        };
        let again = format::format_source(&out)
            .map_err(|e| format!("formatted text does not format: {e:?}"))?;
        if again != out {
            return Err("formatting twice changes the text".into());
        }
        if format::is_formatted(&out).ok() != Some(true) {
            return Err("formatted text is not seen as formatted".into());
        }
        let (before, after) = (
            load::from_text("t.ron", text),
            load::from_text("t.ron", &out),
        );
        if records(&before.dataset) != records(&after.dataset) {
            return Err("formatting changed the records".into());
        }
        if codes(&before) != codes(&after) {
            return Err(format!(
                "formatting changed the problems: {:?} became {:?}",
                codes(&before),
                codes(&after)
            ));
        }
        Ok(())
    });
    assert!(ran.cases > 0);
}

/// The date parser: anything it accepts prints back as written and parses to the same date.
#[test]
fn dates() {
    let seeds: Vec<Vec<u8>> = [
        "2020",
        "2020-10",
        "2021-03-15",
        "2020-02-29",
        "0001-01-01",
        "9999-12-31",
        "1999-12-31",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    let ran = fuzz("date", &seeds, |bytes| {
        let text = String::from_utf8_lossy(bytes);
        if let Ok(d) = Date::parse(&text) {
            let shown = d.to_string();
            if shown != text {
                return Err(format!("`{text}` parses, but prints as `{shown}`"));
            }
            if Date::parse(&shown) != Ok(d) {
                return Err(format!("`{shown}` does not parse back"));
            }
            let _ = dipgraph::model::Window::of(d);
        }
        Ok(())
    });
    assert!(ran.cases > 0);
}

/// The saved-query parser, over the bundled world: no panic; every problem in its place; and
/// every query that parses is answered and laid out without a panic.
#[test]
fn saved_queries() {
    let store = MemoryStore::new(load::load(&DataSource::Bundled).dataset, true);
    let today = Date::parse("2021-03-15").expect("a date");
    let seeds: Vec<Vec<u8>> = harness::files_under(&harness::root().join("queries"))
        .into_iter()
        .map(|(_, b)| b)
        .collect();
    let ran = fuzz("query", &seeds, |bytes| {
        let input = Input {
            path: "queries/fuzz.ron".into(),
            bytes: Ok(bytes.to_vec()),
        };
        let first = store.files().len();
        let parsed = saved::parse(vec![input], &store, first).map_err(|_| "the store failed")?;
        let mut files = store.files().to_vec();
        files.extend(parsed.files.iter().cloned());
        labels_in_place(&parsed.diagnostics, &files)?;
        let _ = render::to_text(&parsed.diagnostics, &files);
        for q in &parsed.queries {
            let facts = ask::AnswerFacts::read(&store, &q.ask).map_err(|_| "the store failed")?;
            let answer =
                ask::answer(&store, &facts, &q.ask, today).map_err(|_| "the store failed")?;
            let doc = dipgraph::render::views::answer(
                None,
                &answer,
                Some(today),
                dipgraph::render::views::Layout::Table,
            );
            let _ = dipgraph::render::table::to_text(&doc);
        }
        Ok(())
    });
    assert!(ran.cases > 0);
}

/// Runs the binary with `args` in `dir`, killing it after [`HANG`]; its exit code, or why
/// it is a failure.
fn run(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Result<i32, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dipgraph"))
        .args(args)
        .current_dir(dir)
        .env("DIPGRAPH_TODAY", "2021-03-15")
        .env("DIPGRAPH_CACHE_DIR", dir.join("cache"))
        .envs(envs.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start dipgraph: {e}"))?;
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
            break s;
        }
        if start.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "`dipgraph {}` hung for over {HANG:?}",
                args.join(" ")
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let err = String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned();
    let code = status
        .code()
        .ok_or_else(|| format!("`dipgraph {}` was killed by a signal", args.join(" ")))?;
    if err.contains("panicked at") {
        return Err(format!("`dipgraph {}` panicked: {err}", args.join(" ")));
    }
    if !(0..=2).contains(&code) {
        return Err(format!("`dipgraph {}` exited {code}", args.join(" ")));
    }
    Ok(code)
}

/// The binary, on the bundled world with one file mutated (as a data file and as a saved
/// query), on the files loaded whole and checked file by file with a cache, then with that
/// cache damaged: exit codes 0, 1 or 2 only, no panic, no hang.
#[test]
fn binary() {
    let world = harness::files_under(&harness::root().join("graph"));
    let queries = harness::files_under(&harness::root().join("queries"));
    let ran = fuzz("binary", &ron_seeds(), |bytes| {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        for (path, text) in world.iter().chain(&queries) {
            let to = dir.path().join(path);
            std::fs::create_dir_all(to.parent().ok_or("no parent")?).map_err(|e| e.to_string())?;
            std::fs::write(&to, text).map_err(|e| e.to_string())?;
        }
        std::fs::write(dir.path().join("graph/zz-fuzz.ron"), bytes).map_err(|e| e.to_string())?;
        std::fs::write(dir.path().join("queries/zz-fuzz.ron"), bytes).map_err(|e| e.to_string())?;
        let d = dir.path();
        let small = [("DIPGRAPH_CACHE_MIN_BYTES", "0")];
        run(d, &["--data", "graph", "validate"], &[])?;
        run(
            d,
            &["--data", "graph", "fmt", "--check", "graph", "queries"],
            &[],
        )?;
        run(
            d,
            &["--data", "graph", "check", "--queries", "queries"],
            &[],
        )?;
        // File by file, with a cache written, read, then damaged and rebuilt.
        run(d, &["--data", "graph", "validate"], &small)?;
        run(
            d,
            &["--data", "graph", "allies", "BLR", "--on", "2021-03-15"],
            &small,
        )?;
        if let Some(Ok(cache)) = std::fs::read_dir(d.join("cache"))
            .ok()
            .and_then(|mut r| r.next())
        {
            let path = cache.path();
            let mut b = std::fs::read(&path).map_err(|e| e.to_string())?;
            if !b.is_empty() {
                let i = (bytes.len() * 7919) % b.len();
                b[i] ^= 0x55;
                std::fs::write(&path, b).map_err(|e| e.to_string())?;
            }
        }
        run(
            d,
            &["--data", "graph", "show", "RUS", "--format", "json"],
            &small,
        )?;
        Ok(())
    });
    assert!(ran.cases > 0);
}
