//! Help that teaches: shell completions and the manual page are made from the command line's
//! own definition, and every command's help ends with examples.

use std::process::Command;

use crate::support::{code, run, stdout};

#[test]
fn completions_for_every_shell_name_the_commands() {
    let dir = tempfile::tempdir().expect("tmp");
    for (shell, mark) in [
        ("bash", "_dipgraph()"),
        ("zsh", "#compdef dipgraph"),
        ("fish", "complete -c dipgraph"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[dipgraph]"),
    ] {
        let o = run(dir.path(), &["completions", shell]);
        assert_eq!(code(&o), 0, "{shell}");
        let text = stdout(&o);
        assert!(text.contains(mark), "{shell}: {mark}");
        for command in ["allies", "sanctions", "validate", "render"] {
            assert!(text.contains(command), "{shell}: {command}");
        }
    }
    // The bash script is one bash accepts.
    let o = run(dir.path(), &["completions", "bash"]);
    let script = dir.path().join("dipgraph.bash");
    std::fs::write(&script, &o.stdout).expect("write");
    if let Ok(status) = Command::new("bash").arg("-n").arg(&script).status() {
        assert!(status.success(), "bash -n rejects the completions");
    }
}

#[test]
fn the_manual_page_is_roff_listing_every_command() {
    let dir = tempfile::tempdir().expect("tmp");
    let o = run(dir.path(), &["man"]);
    assert_eq!(code(&o), 0);
    let text = stdout(&o);
    assert!(text.contains(".TH dipgraph 1"), "{text}");
    for command in [
        "allies",
        "sanctions",
        "timeline",
        "diff",
        "export",
        "completions",
    ] {
        assert!(text.contains(command), "{command}");
    }
}

/// The commands of `dipgraph --help`.
fn commands() -> Vec<String> {
    let dir = tempfile::tempdir().expect("tmp");
    let text = stdout(&run(dir.path(), &["--help"]));
    let list = text
        .split("Commands:")
        .nth(1)
        .and_then(|t| t.split("\n\n").next())
        .expect("a command list");
    list.lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// The words of a shell command line with double quotes.
fn words(line: &str) -> Vec<String> {
    let (mut out, mut word, mut quoted) = (Vec::new(), String::new(), false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

#[test]
fn every_command_s_help_ends_with_examples_that_work_on_the_bundled_world() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let commands = commands();
    assert!(commands.len() >= 18, "{commands:?}");
    // `changes` reads the repository's history: a copy without it (a tarball) skips them.
    let history = Command::new("git")
        .args(["rev-parse", "--verify", "--quiet", "main", "HEAD~1"])
        .current_dir(root)
        .output()
        .is_ok_and(|o| o.status.success());
    if !history {
        eprintln!("NOTE: no git history here: the examples of `changes` are not run");
    }
    let mut ran = 0;
    for command in &commands {
        let help = stdout(&run(root, &[command, "--help"]));
        let examples = help
            .split("Examples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("`{command} --help` has no examples:\n{help}"));
        let lines: Vec<&str> = examples.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!((2..=3).contains(&lines.len()), "{command}: {lines:?}");
        for line in lines {
            let w = words(line.trim());
            assert_eq!(w[0], "dipgraph", "{line}");
            // Those that only read the bundled world run here; the others write files or read
            // data sets the tests do not hold.
            let writes = w
                .iter()
                .any(|a| a == "-o" || a == "--out" || a.ends_with(".CSV"))
                || ["synth", "import", "completions", "man"].contains(&command.as_str())
                || (command == "fmt" && !w.contains(&"--check".to_string()))
                || w.iter().any(|a| a.starts_with("path/to"))
                || w.contains(&"/tmp/world".to_string())
                || (command == "changes" && !history);
            if writes {
                continue;
            }
            let args: Vec<&str> = w[1..].iter().map(String::as_str).collect();
            let o = run(root, &args);
            assert_eq!(code(&o), 0, "{line}: {}", crate::support::stderr(&o));
            ran += 1;
        }
    }
    assert!(ran >= 30, "examples run: {ran}");
}

#[test]
fn global_options_sit_under_their_own_heading_and_only_on_commands_that_read_them() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let all = ["--data", "--format", "--today", "--no-cache", "--wide"];
    for (command, listed) in [
        ("allies", &all[..]),
        ("show", &["--data", "--format", "--no-cache", "--wide"][..]),
        ("validate", &["--data", "--format", "--no-cache"][..]),
        ("render", &["--data", "--today", "--no-cache"][..]),
        ("synth", &[][..]),
    ] {
        let help = stdout(&run(root, &[command, "--help"]));
        let (own, global) = help
            .split_once("\nGlobal options:")
            .unwrap_or((help.as_str(), ""));
        let lists = |text: &str, option: &str| text.contains(&format!("\n      {option}"));
        for option in all {
            assert!(
                !lists(own, option),
                "{command}: {option} among its own options"
            );
            assert_eq!(
                lists(global, option),
                listed.contains(&option),
                "{command} --help, {option}:\n{help}"
            );
        }
    }
    // An option a command does not read is refused after it.
    let o = run(root, &["validate", "--today", "2021"]);
    assert_eq!(code(&o), 2);
    assert!(crate::support::stderr(&o).contains("--today"));
}

#[test]
fn a_global_option_is_taken_before_or_after_the_command_and_after_wins() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let before = run(root, &["--format", "json", "allies", "BLR", "--on", "2021"]);
    let after = run(root, &["allies", "BLR", "--on", "2021", "--format", "json"]);
    assert_eq!(code(&before), 0);
    assert!(stdout(&before).starts_with('{'), "{}", stdout(&before));
    assert_eq!(stdout(&before), stdout(&after));
    let both = run(
        root,
        &[
            "--format", "csv", "allies", "BLR", "--on", "2021", "--format", "json",
        ],
    );
    assert_eq!(stdout(&both), stdout(&after));
    // `--today` after the command beats the one before it (and the environment's).
    let today = |args: &[&str]| {
        let o = run(root, args);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
        v["on"].as_str().map(String::from)
    };
    assert_eq!(
        today(&[
            "--today", "1995", "allies", "BLR", "--today", "2021", "--format", "json"
        ]),
        Some("2021".into())
    );
    assert_eq!(
        today(&["--today", "1995", "allies", "BLR", "--format", "json"]),
        Some("1995".into())
    );
}
