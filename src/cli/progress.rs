//! Progress on stderr, drawn by indicatif: a bar of the bytes done and a word on what is being
//! done, for imports (with the rows read, kept and left out) and for large loads. Drawn only
//! when stderr is a terminal (piped or redirected, nothing is written), and cleared before the
//! answer is written.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::sync::Once;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use dipgraph::load::parallel;

/// Loads smaller than this are over too soon to need a bar.
const LOAD_SHOWN_FROM: u64 = 16 << 20;

/// A bar of bytes done, drawn from its first count of bytes on and cleared when dropped.
pub struct Bar {
    bar: ProgressBar,
    shown: Once,
}

impl Bar {
    /// A bar on stderr, drawn when stderr is a terminal.
    pub fn new() -> Bar {
        // The bar takes the width the line has left, so the line never wraps.
        let style =
            ProgressStyle::with_template("{msg:10} [{wide_bar}] {bytes}/{total_bytes} ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
        Bar {
            bar: ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden())
                .with_style(style),
            shown: Once::new(),
        }
    }

    /// An import's bar: a line of what has become of the rows read, over a bar of the input's
    /// bytes (without a total, for standard input, the bytes read alone).
    pub fn import(total: Option<u64>) -> Bar {
        let template = if total.is_some() {
            "{wide_msg}\n[{wide_bar}] {bytes}/{total_bytes} ({eta})"
        } else {
            "{wide_msg}\n{bytes} read"
        };
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        Bar {
            bar: ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden())
                .with_style(style),
            shown: Once::new(),
        }
    }

    /// What is being done: `reading`, `validating`, ... (control characters escaped, as in
    /// every line for a terminal).
    pub fn say(&self, what: impl Into<Cow<'static, str>>) {
        let what = what.into();
        let what = match dipgraph::diag::escape::terminal(&what) {
            Cow::Borrowed(_) => what,
            Cow::Owned(escaped) => Cow::Owned(escaped),
        };
        self.bar.set_message(what);
    }

    /// `done` bytes of `total`.
    pub fn bytes(&self, done: u64, total: u64) {
        self.bar.set_length(total);
        self.at(done);
    }

    /// `done` bytes, of a total given before or unknown.
    pub fn at(&self, done: u64) {
        self.bar.set_position(done);
        // Not drawn before there is a total to draw against.
        self.shown.call_once(|| {
            if std::io::stderr().is_terminal() {
                self.bar.set_draw_target(ProgressDrawTarget::stderr());
            }
        });
    }

    /// `done` things of `total` (facts, rows), drawn as counts.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    pub fn count(&self, done: u64, total: u64) {
        if done == 0 {
            let style = ProgressStyle::with_template("{msg:10} [{wide_bar}] {pos}/{len} ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            self.bar.set_style(style);
        }
        self.bytes(done, total);
    }

    /// Takes the bar off the screen; later reports are not drawn.
    pub fn clear(&self) {
        self.bar.finish_and_clear();
    }

    fn is_cleared(&self) -> bool {
        self.bar.is_finished()
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.clear();
    }
}

/// A load's progress, `loading 40/104 files` and a bar of its bytes, shown for loads of 16 MiB
/// or more and cleared when the last file is read.
pub struct Loading(Bar);

impl Loading {
    /// Nothing is drawn until a large load reports.
    pub fn new() -> Loading {
        Loading(Bar::new())
    }

    /// Takes a report of the loader (from any of its threads).
    pub fn update(&self, p: parallel::Progress) {
        if p.bytes < LOAD_SHOWN_FROM || self.0.is_cleared() {
            return;
        }
        self.0
            .say(format!("loading {}/{} files", p.files_done, p.files));
        self.0.bytes(p.bytes_done, p.bytes);
        if p.files_done == p.files {
            self.0.clear();
        }
    }
}
