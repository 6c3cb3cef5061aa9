//! The interactive timeline in a real browser: headless Chromium opens the page of Belarus from
//! 1991 to 2022 at two dates (`#2020-08-01`, `#2021-03-15`), the test reads the DOM after the
//! page's script ran and checks that the lines shown draw exactly the edges `export json --on`
//! lists for that date (those possibly in force dashed), and takes a screenshot that must not
//! be blank. Laid out by the built-in renderer, and by Graphviz where it is installed. A second
//! test works the page's controls (keys, search, a click on a line, play) and reads what it
//! showed after each.
//!
//! Without Chromium the test is skipped with a note; under CI (`CI` set, where `.ci/run`
//! installs it) it fails instead.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use quick_xml::events::Event;

use crate::support::{code, note, run, stderr, stdout};

/// Chromium's executable, if it can be had; under CI it must be.
fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
        .map(PathBuf::from);
    if found.is_none() {
        assert!(
            std::env::var("CI").is_err(),
            "Chromium is not installed, and CI must test the timeline in it (.ci/run installs it)"
        );
        note(
            "Chromium is not installed (`apt-get install chromium`); skipping the browser test of the timeline",
        );
    }
    found
}

/// Whether Graphviz's `dot` can be run (under CI it must be; see `diagrams.rs`).
fn have_dot() -> bool {
    let ok = Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").is_err(),
            "Graphviz's `dot` is not installed under CI"
        );
        note(
            "Graphviz's `dot` is not installed; the timeline is tested laid out by the built-in renderer only",
        );
    }
    ok
}

/// Runs headless Chromium on `url` with `extra` arguments, in a new empty profile, and returns
/// its standard output. A browser that hangs is stopped after two minutes.
fn browse(chrome: &Path, url: &str, extra: &[&str]) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut child = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Chromium starts");
    let mut out = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("Chromium did not finish with {url}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().expect("output read")
}

/// A line of the page as the DOM shows it after the script ran.
#[derive(Debug)]
struct ShownLine {
    title: String,
    hidden: bool,
    edges: Vec<String>,
    dashed: bool,
}

/// The lines (`g.edge`) and boxes (`g.node`, by title, shown or not) of a dumped DOM, and the
/// date the page shows.
fn read_dom(dom: &str) -> (Vec<ShownLine>, BTreeMap<String, bool>, String) {
    // Scripts and styles hold text that is no markup.
    let mut text = dom.to_string();
    for tag in ["script", "style"] {
        while let Some(a) = text.find(&format!("<{tag}")) {
            let close = format!("</{tag}>");
            let b = text[a..]
                .find(&close)
                .map_or(text.len(), |i| a + i + close.len());
            text.replace_range(a..b, "");
        }
    }
    let mut r = quick_xml::Reader::from_str(&text);
    r.config_mut().check_end_names = false;
    let mut lines: Vec<ShownLine> = Vec::new();
    let mut nodes: BTreeMap<String, bool> = BTreeMap::new();
    let mut date = String::new();
    // What the next `<title>` names: a line (its index) or a box (shown or not).
    enum Owner {
        Line(usize),
        Node(bool),
        Date,
    }
    let mut owner: Option<Owner> = None;
    let mut in_title = false;
    let mut buf = String::new();
    let mut want_path: Option<usize> = None;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let attrs: BTreeMap<String, String> = e
                    .html_attributes()
                    .flatten()
                    .map(|a| {
                        (
                            a.key.as_ref().to_string(),
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map(|v| v.into_owned())
                                .unwrap_or_default(),
                        )
                    })
                    .collect();
                let hidden = attrs
                    .get("style")
                    .is_some_and(|s| s.replace(' ', "").contains("display:none"));
                match e.name().as_ref() {
                    "g" if attrs.get("class").is_some_and(|c| c == "edge") => {
                        lines.push(ShownLine {
                            title: String::new(),
                            hidden,
                            edges: attrs
                                .get("data-edges")
                                .map(|v| v.split_whitespace().map(str::to_string).collect())
                                .unwrap_or_default(),
                            dashed: false,
                        });
                        owner = Some(Owner::Line(lines.len() - 1));
                        want_path = Some(lines.len() - 1);
                    }
                    "g" if attrs.get("class").is_some_and(|c| c == "node") => {
                        owner = Some(Owner::Node(!hidden));
                    }
                    "output" if attrs.get("id").is_some_and(|i| i == "date") => {
                        owner = Some(Owner::Date);
                        in_title = true;
                    }
                    "title" if owner.is_some() => in_title = true,
                    "path" => {
                        if let Some(k) = want_path.take() {
                            lines[k].dashed = attrs
                                .get("stroke-dasharray")
                                .is_some_and(|d| !d.is_empty() && d != "none");
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::Text(t)) if in_title => buf.push_str(&t.html_content()),
            Ok(Event::GeneralRef(r)) if in_title => match r.resolve_char_ref() {
                Ok(Some(c)) => buf.push(c),
                _ => buf.push_str(match r.html_content().as_ref() {
                    "gt" => ">",
                    "lt" => "<",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "?",
                }),
            },
            Ok(Event::End(_)) if in_title => {
                let s = std::mem::take(&mut buf).trim().to_string();
                match owner.take() {
                    Some(Owner::Line(k)) => lines[k].title = s,
                    Some(Owner::Node(shown)) => {
                        nodes.insert(s, shown);
                    }
                    Some(Owner::Date) => date = s,
                    None => {}
                }
                in_title = false;
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("cannot read the DOM: {e}"),
        }
    }
    (lines, nodes, date)
}

/// What `export json` lists on `date` with the page's filters: the edges' ids, those possibly
/// in force, the entities' ids, and the facts' ids.
struct Exported {
    edges: BTreeSet<String>,
    possible: BTreeSet<String>,
    nodes: BTreeSet<String>,
    facts: BTreeSet<String>,
}

fn exported(dir: &Path, date: &str) -> Exported {
    let o = run(dir, &["export", "json", "--on", date, "--focus", "BLR"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let links = v["links"].as_array().expect("links");
    let ids = links
        .iter()
        .filter_map(|l| l["id"].as_str().map(str::to_string))
        .collect();
    let possible = links
        .iter()
        .filter(|l| l["certainty"] == "possible")
        .filter_map(|l| l["id"].as_str().map(str::to_string))
        .collect();
    let nodes = v["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|n| n["id"].as_str().map(str::to_string))
        .collect();
    let facts = links
        .iter()
        .filter_map(|l| l["fact"].as_str().map(str::to_string))
        .collect();
    Exported {
        edges: ids,
        possible,
        nodes,
        facts,
    }
}

/// PNG pixels: how many are not white, and how many colours there are.
fn ink(png_bytes: &[u8]) -> (usize, usize) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let px = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(px).collect();
    let inked = pixels
        .iter()
        .filter(|p| p[..3].iter().any(|c| *c < 235))
        .count();
    let colours: BTreeSet<[u8; 3]> = pixels.iter().map(|p| [p[0], p[1], p[2]]).collect();
    (inked, colours.len())
}

#[test]
fn the_timeline_shows_in_a_browser_what_export_lists_on_each_date() {
    let Some(chrome) = chromium() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut engines = vec!["builtin"];
    if have_dot() {
        engines.push("dot");
    }
    for engine in engines {
        let page = dir.path().join(format!("belarus-{engine}.html"));
        let path = page.display().to_string();
        let o = run(
            dir.path(),
            &[
                "render", "--focus", "BLR", "--from", "1991", "--to", "2022", "--engine", engine,
                "-o", &path,
            ],
        );
        assert_eq!(code(&o), 0, "{engine}: {}", stderr(&o));
        let html = std::fs::read_to_string(&page).expect("written");
        // One file, nothing fetched: under 2 MB, no script, style or picture from elsewhere.
        assert!(
            html.len() < 2 * 1024 * 1024,
            "{engine}: {} bytes",
            html.len()
        );
        for outside in ["<script src", "<link", "<img", "@import", "url(http"] {
            assert!(!html.contains(outside), "{engine}: the page has {outside}");
        }
        for date in ["2020-08-01", "2021-03-15"] {
            let url = format!("file://{path}#{date}");
            let dom = browse(&chrome, &url, &["--dump-dom"]);
            let (lines, nodes, shown_date) = read_dom(&dom);
            assert_eq!(shown_date, date, "{engine}: the page shows another date");
            let want = exported(dir.path(), date);
            assert!(!want.edges.is_empty(), "{date}: nothing exported");
            // The legend's sample lines are no lines of the diagram.
            let shown: Vec<&ShownLine> = lines
                .iter()
                .filter(|l| !l.hidden && !l.title.starts_with("legend "))
                .collect();
            let drawn: BTreeSet<String> =
                shown.iter().flat_map(|l| l.edges.iter().cloned()).collect();
            assert_eq!(drawn, want.edges, "{engine} {date}: the edges drawn");
            // A line shown draws something; a hidden one, nothing.
            assert!(shown.iter().all(|l| !l.edges.is_empty()), "{engine} {date}");
            assert!(
                lines
                    .iter()
                    .filter(|l| l.hidden)
                    .all(|l| l.edges.is_empty())
            );
            // The boxes shown: every entity exported, and hubs (named after a fact shown).
            let boxes: BTreeSet<&String> = nodes
                .iter()
                .filter(|(id, shown)| **shown && !id.starts_with("legend "))
                .map(|(id, _)| id)
                .collect();
            for id in &want.nodes {
                assert!(boxes.contains(id), "{engine} {date}: {id} is not shown");
            }
            for id in &boxes {
                assert!(
                    want.nodes.contains(*id) || want.facts.contains(*id),
                    "{engine} {date}: {id} is shown"
                );
            }
            // Between two entities, a line is dashed exactly when what it draws is possible.
            for l in shown {
                let Some((_, to)) = l.title.split_once("->") else {
                    panic!("{engine}: a line titled {}", l.title);
                };
                if !want.nodes.contains(to) {
                    continue; // a hub's spoke
                }
                let maybe = l.edges.iter().all(|e| want.possible.contains(e));
                assert_eq!(l.dashed, maybe, "{engine} {date}: {} dashed", l.title);
            }
        }
        // A screenshot that is not blank.
        let shot = dir.path().join(format!("{engine}.png"));
        let url = format!("file://{path}#2021-03-15");
        browse(
            &chrome,
            &url,
            &[
                "--window-size=1400,900",
                &format!("--screenshot={}", shot.display()),
            ],
        );
        let bytes = std::fs::read(&shot).expect("a screenshot");
        let (inked, colours) = ink(&bytes);
        assert!(inked > 20_000, "{engine}: {inked} pixels not white");
        assert!(colours > 50, "{engine}: {colours} colours");
    }
}

/// A script the test adds to a copy of the page: it works the controls as a person would (keys,
/// search, a click on a line, play and pause) and writes what the page showed after each into
/// `<pre id="test-log">`, as JSON.
const WORK_THE_CONTROLS: &str = r##"<script>
window.addEventListener("load", () => {
  const log = {};
  const date = () => document.getElementById("date").textContent;
  const key = (k) => document.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
  log.start = date();
  key("ArrowRight");
  log.right = date();
  log.hash = location.hash;
  key("ArrowLeft");
  key("ArrowLeft");
  log.left = date();
  key("Home");
  log.home = date();
  const search = document.getElementById("search");
  search.value = "Tikhanovskaya";
  search.dispatchEvent(new Event("change"));
  const found = document.querySelector("g.node.found > title");
  log.found = found ? found.textContent : "";
  log.afterFind = date();
  log.nodeInfo = document.getElementById("info").textContent;
  const line = [...document.querySelectorAll("g.edge")].find(
    (g) => g.style.display !== "none" && (g.getAttribute("data-edges") || "").includes("csto-charter-2002"));
  line.querySelector("path").dispatchEvent(new MouseEvent("click", { bubbles: true }));
  log.lineInfo = document.getElementById("info").textContent;
  log.links = [...document.querySelectorAll("#info a")].map((a) => a.getAttribute("href"));
  const slider = document.getElementById("slider");
  const before = Number(slider.value);
  document.getElementById("play").click();
  setTimeout(() => {
    document.getElementById("play").click();
    log.played = [before, Number(slider.value)];
    const pre = document.createElement("pre");
    pre.id = "test-log";
    pre.textContent = JSON.stringify(log);
    document.body.appendChild(pre);
  }, 2500);
});
</script>
</body>"##;

#[test]
fn the_timelines_controls_work_in_a_browser() {
    let Some(chrome) = chromium() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("belarus.html");
    let path = page.display().to_string();
    let o = run(
        dir.path(),
        &[
            "render", "--focus", "BLR", "--from", "1991", "--to", "2022", "--engine", "builtin",
            "-o", &path,
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = std::fs::read_to_string(&page).expect("written");
    let worked = dir.path().join("worked.html");
    std::fs::write(&worked, html.replace("</body>", WORK_THE_CONTROLS)).expect("write");
    let dom = browse(
        &chrome,
        &format!("file://{}#2021-03-15", worked.display()),
        &["--dump-dom"],
    );
    let start = dom.find("<pre id=\"test-log\">").expect("the log") + "<pre id=\"test-log\">".len();
    let end = start + dom[start..].find("</pre>").expect("the log's end");
    let text = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let log: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let s = |k: &str| log[k].as_str().unwrap_or_default().to_string();
    assert_eq!(s("start"), "2021-03-15");
    // → moves to the next change, and the address follows; ← twice to one before the first.
    assert!(s("right") > s("start"), "{log}");
    assert_eq!(s("hash"), format!("#{}", s("right")));
    assert!(s("left") < s("start"), "{log}");
    assert_eq!(s("home"), "1991-01-01");
    // Found though not shown in 1991: the page moves to a day she is.
    assert_eq!(s("found"), "svetlana-tikhanovskaya");
    assert!(s("afterFind").as_str() >= "2020", "{log}");
    assert!(s("nodeInfo").contains("Svetlana Tikhanovskaya"), "{log}");
    // A line tells its facts, with dates and precision, certainty that day and sources.
    let info = s("lineInfo");
    assert!(info.contains("csto-charter-2002"), "{info}");
    assert!(
        info.contains("(day)") || info.contains("(month)") || info.contains("(year)"),
        "{info}"
    );
    assert!(
        info.contains("certain") || info.contains("possible"),
        "{info}"
    );
    let links = log["links"].as_array().expect("links");
    assert!(!links.is_empty(), "{log}");
    assert!(
        links
            .iter()
            .all(|l| l.as_str().is_some_and(|u| u.starts_with("http"))),
        "{log}"
    );
    // Play moves on, pause stops.
    let played = log["played"].as_array().expect("played");
    assert!(played[1].as_u64() > played[0].as_u64(), "{log}");
}
