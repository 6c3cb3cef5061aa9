//! Diagnostics as data: a stable code, a severity, where, what is wrong, and a hint. Rendering
//! is in [`render`]; nothing here prints.

pub mod escape;
pub mod render;

use serde::Serialize;

use crate::model::{FileId, Span};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The data is wrong; `validate` exits 1.
    Error,
    /// Worth fixing; does not fail validation.
    Warning,
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $sev:ident, $summary:literal;)+) => {
        /// Stable diagnostic codes, documented in `docs/diagnostics.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = $summary]
                $variant,
            )+
        }

        impl Code {
            /// Every code.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The code as printed, e.g. `E0303`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code),+ }
            }

            /// Its severity.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev),+ }
            }

            /// One line on what it means.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary),+ }
            }
        }
    };
}

codes! {
    Unreadable = "E0001", Error, "a file or folder cannot be read";
    NotUtf8 = "E0002", Error, "a file is not valid UTF-8 text";
    Syntax = "E0003", Error, "a file is not valid RON";
    TooDeep = "E0004", Error, "brackets are nested too deeply";
    NotAList = "E0005", Error, "a file does not hold one list of records";
    UnknownKind = "E0101", Error, "a record's kind is not one dipgraph knows";
    UnknownField = "E0102", Error, "a record has a field its kind does not have";
    MissingField = "E0103", Error, "a record lacks a required field";
    DuplicateField = "E0104", Error, "a record gives the same field twice";
    WrongType = "E0105", Error, "a field's value has the wrong type or an unknown variant";
    BadDate = "E0201", Error, "a date is not YYYY, YYYY-MM or YYYY-MM-DD, or does not exist";
    EmptyInterval = "E0202", Error, "`until` is not after `from`";
    OnOrFrom = "E0203", Error, "a statement or event needs exactly one of `on` and `from`";
    DuplicateId = "E0301", Error, "two records have the same id";
    BadId = "E0302", Error, "an id has the wrong shape";
    UnknownReference = "E0303", Error, "a reference names no record";
    WrongKind = "E0304", Error, "a reference names a record of the wrong kind";
    EmptyList = "E0305", Error, "a list that needs at least one item is empty";
    SelfReference = "E0306", Error, "a fact ties an entity to itself";
    PartyOutsideTreaty = "E0401", Error, "a party joins before its treaty starts or after it ends";
    OutsideExistence = "E0402", Error, "a fact starts before an entity exists or after it ceased to";
    OverlappingParty = "E0403", Error, "a state is listed twice in a treaty for overlapping dates";
    NoSource = "W0101", Warning, "a fact cites no source";
    EmptyFile = "W0102", Warning, "a data file is empty";
    FarSource = "W0103", Warning, "a source was published more than a year from every date of the fact it backs";
    SameFile = "W0104", Warning, "a data file is reached by a second name (a link), and read once";
    NotAFile = "W0105", Warning, "a `.ron` entry is not a regular file (a named pipe, a device), and is not read";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A place in a file, with what to say there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The file.
    pub file: FileId,
    /// The bytes.
    pub span: Span,
    /// What to say under the marker (may be empty).
    pub message: String,
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// What is wrong, in plain words.
    pub message: String,
    /// Where (absent for problems with no place, such as an unreadable folder).
    pub primary: Option<Label>,
    /// Other places that matter (the first of two duplicate ids).
    pub secondary: Vec<Label>,
    /// What to do.
    pub hints: Vec<String>,
    /// A path to show when there is no primary label.
    pub path: Option<String>,
}

impl Diagnostic {
    /// A problem at `span` of `file`.
    pub fn at(code: Code, file: FileId, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            primary: Some(Label {
                file,
                span,
                message: String::new(),
            }),
            secondary: Vec::new(),
            hints: Vec::new(),
            path: None,
        }
    }

    /// A problem with a path but no place in a file's text.
    pub fn for_path(code: Code, path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            hints: Vec::new(),
            path: Some(path.into()),
        }
    }

    /// Its severity.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hints.push(hint.into());
        self
    }

    /// Sets the text under the primary marker.
    pub fn label(mut self, message: impl Into<String>) -> Diagnostic {
        if let Some(p) = &mut self.primary {
            p.message = message.into();
        }
        self
    }

    /// Adds another place.
    pub fn also(mut self, file: FileId, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }

    /// The order problems are reported in: by file, then position, then code.
    pub fn sort_key(&self) -> (u32, u32, Code, &str) {
        match &self.primary {
            Some(l) => (l.file.0, l.span.start, self.code, &self.message),
            None => (0, 0, self.code, &self.message),
        }
    }
}

/// Sorts problems by file and position (files are numbered in sorted path order; problems with
/// no file come first).
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// The nearest of `candidates` to `wanted`, for "did you mean" hints: at most `max` of them,
/// closest first, ignoring case. Near means a few edits away (a transposition counts as one),
/// or very alike by Jaro-Winkler similarity.
pub fn nearest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<&'a str> {
    let mut near = Near::new(wanted);
    for c in candidates {
        near.offer(c, c);
    }
    near.best(max).into_iter().map(|(_, c)| c).collect()
}

/// [`nearest`] over candidates offered one at a time, each with an item of its own (a fact's
/// number, say): only the near ones are kept, so a million candidates can be read from
/// anywhere without being held.
pub struct Near<T> {
    wanted: String,
    /// How many characters `wanted` has.
    wanted_chars: usize,
    budget: usize,
    /// How many candidates were scored (measured for distance): the costly part, which
    /// [`can_be_near_by_length`] and [`can_be_near`] spare most candidates.
    scored: usize,
    /// How many times each letter comes in `wanted`, when it is ASCII: a cheap bound on how
    /// near a candidate can be, so that most of a million ids are passed over unscored.
    letters: Option<[u16; 128]>,
    lower: String,
    /// The near candidates: (edits, letters not shared, minus the similarity in thousandths,
    /// the text, the item).
    kept: Vec<(usize, usize, i64, String, T)>,
}

impl<T> Near<T> {
    /// Looks for what is near `wanted`.
    pub fn new(wanted: &str) -> Near<T> {
        let wanted = wanted.to_lowercase();
        let letters = (wanted.is_ascii() && !wanted.is_empty()).then(|| {
            let mut counts = [0u16; 128];
            for b in wanted.bytes() {
                counts[usize::from(b)] = counts[usize::from(b)].saturating_add(1);
            }
            counts
        });
        let wanted_chars = wanted.chars().count();
        Near {
            budget: (wanted_chars / 3).max(1),
            wanted_chars,
            scored: 0,
            wanted,
            letters,
            lower: String::new(),
            kept: Vec::new(),
        }
    }

    /// Scores `candidate`, keeping `item` with it when it is near.
    pub fn offer(&mut self, candidate: &str, item: T) {
        self.lower.clear();
        if candidate.is_ascii() {
            self.lower.push_str(candidate);
            self.lower.make_ascii_lowercase();
        } else {
            self.lower.push_str(&candidate.to_lowercase());
        }
        let (w, lc) = (self.wanted.as_str(), self.lower.as_str());
        // In characters, not bytes: `é` is two bytes, one edit.
        let chars = if lc.is_ascii() {
            lc.len()
        } else {
            lc.chars().count()
        };
        if self.wanted_chars > NEAR_MAX_CHARS
            || !can_be_near_by_length(self.wanted_chars, chars, self.budget)
        {
            return;
        }
        if let Some(letters) = &self.letters
            && lc.is_ascii()
            && !lc.is_empty()
            && !can_be_near(letters, w.len(), lc, self.budget)
        {
            return;
        }
        self.scored += 1;
        let edits = strsim::osa_distance(w, lc);
        let alike = strsim::jaro_winkler(w, lc);
        if edits <= self.budget || alike >= 0.88 {
            // Among equally near candidates, the one with the same letters (a transposition,
            // `BRL` for `BLR`) is the likelier typo.
            let foreign = letters_not_shared(w, lc);
            let score = -((alike * 1000.0) as i64);
            self.kept
                .push((edits, foreign, score, candidate.to_string(), item));
        }
    }

    /// How many candidates were measured for distance so far.
    pub fn scored(&self) -> usize {
        self.scored
    }

    /// The `max` nearest, closest first, each text once (with the item first offered with it).
    pub fn best(mut self, max: usize) -> Vec<(String, T)> {
        self.kept
            .sort_by(|a, b| (a.0, a.1, a.2, &a.3).cmp(&(b.0, b.1, b.2, &b.3)));
        self.kept.dedup_by(|a, b| a.3 == b.3);
        self.kept
            .into_iter()
            .take(max)
            .map(|(_, _, _, c, item)| (c, item))
            .collect()
    }
}

/// Nothing is near a wanted text longer than this many characters (no one mistypes a
/// thousand-character id): measuring the distance of long texts costs the product of their
/// lengths.
pub const NEAR_MAX_CHARS: usize = 1000;

/// Whether texts of `a` and `b` characters can be near, by their lengths alone: within
/// `budget` edits (at least the difference of the lengths is needed), or alike by
/// Jaro-Winkler similarity 0.88 or more (at most that of every character of the shorter one
/// matching, boosted by the longest common prefix, which needs the shorter one to be at least
/// 40% as long as the other).
pub fn can_be_near_by_length(a: usize, b: usize, budget: usize) -> bool {
    let (short, long) = (a.min(b), a.max(b));
    if long - short <= budget {
        return true;
    }
    if short == 0 {
        return false;
    }
    let jaro = (2.0 + short as f64 / long as f64) / 3.0;
    // A hair of room for rounding: this only passes over what cannot be near.
    jaro + 0.4 * (1.0 - jaro) >= 0.88 - 1e-9
}

/// Whether ASCII `candidate` can be near a word of `len` letters counted in `letters`: within
/// `budget` edits, or alike by Jaro-Winkler similarity 0.88 or more. Both are bounded by the
/// letters the two have in common (`m`): at least `max(len) - m` edits are needed, and the
/// similarity is at most that of `m` matches without transpositions, boosted by the longest
/// common prefix (4).
fn can_be_near(letters: &[u16; 128], len: usize, candidate: &str, budget: usize) -> bool {
    let mut left = *letters;
    let mut common = 0usize;
    for b in candidate.bytes() {
        let n = &mut left[usize::from(b & 0x7f)];
        if *n > 0 {
            *n -= 1;
            common += 1;
        }
    }
    let (la, lb) = (len, candidate.len());
    if la.max(lb) - common <= budget {
        return true;
    }
    let m = common as f64;
    let jaro = (m / la as f64 + m / lb as f64 + 1.0) / 3.0;
    // A hair of room for rounding: this only passes over what cannot be near.
    jaro + 0.4 * (1.0 - jaro) >= 0.88 - 1e-9
}

/// How many letters of `a` and `b` have no partner in the other (counted with repeats).
fn letters_not_shared(a: &str, b: &str) -> usize {
    let mut rest: Vec<char> = b.chars().collect();
    let mut unmatched = 0;
    for c in a.chars() {
        match rest.iter().position(|&r| r == c) {
            Some(i) => {
                rest.swap_remove(i);
            }
            None => unmatched += 1,
        }
    }
    unmatched + rest.len()
}

/// `did you mean `X`?` or `did you mean one of `X`, `Y`?`, or `None` with no candidates.
pub fn did_you_mean(candidates: &[&str]) -> Option<String> {
    match candidates {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        many => Some(format!(
            "did you mean one of {}?",
            many.iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "{c} twice");
            let s = c.as_str();
            assert_eq!(s.len(), 5);
            let expected = if s.starts_with('W') {
                Severity::Warning
            } else {
                Severity::Error
            };
            assert_eq!(c.severity(), expected, "{s}");
        }
    }

    #[test]
    fn nearest_finds_transpositions() {
        let ids = ["BEL", "IRL", "BLR", "RUS", "POL", "dmitry-peskov"];
        assert_eq!(nearest("BRL", ids, 3), ["BLR", "BEL", "IRL"]);
        assert!(nearest("zzzzzz", ids, 3).is_empty());
        assert_eq!(
            did_you_mean(&["BLR"]).as_deref(),
            Some("did you mean `BLR`?")
        );
    }

    #[test]
    fn the_quick_bound_passes_over_only_what_cannot_be_near() {
        // Random words of a small alphabet (so that many are near), compared with strsim's own
        // verdict: a candidate the bound passes over is never near.
        let mut seed = 7u64;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let alphabet = b"abcde-1";
        let word = |next: &mut dyn FnMut(usize) -> usize| -> String {
            let len = 1 + next(12);
            (0..len)
                .map(|_| char::from(alphabet[next(alphabet.len())]))
                .collect()
        };
        let (mut passed_over, mut near) = (0, 0);
        for _ in 0..20_000 {
            let (w, c) = (word(&mut next), word(&mut next));
            let budget = (w.len() / 3).max(1);
            let mut letters = [0u16; 128];
            for b in w.bytes() {
                letters[usize::from(b)] += 1;
            }
            let is_near =
                strsim::osa_distance(&w, &c) <= budget || strsim::jaro_winkler(&w, &c) >= 0.88;
            if !can_be_near(&letters, w.len(), &c, budget) {
                passed_over += 1;
                assert!(!is_near, "{w} / {c}");
            }
            near += usize::from(is_near);
        }
        assert!(
            passed_over > 5_000,
            "the bound passes over many: {passed_over}"
        );
        assert!(near > 100, "some are near: {near}");
    }

    #[test]
    fn the_length_bound_passes_over_only_what_cannot_be_near() {
        let mut seed = 11u64;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let alphabet = ['a', 'b', 'é', 'ё', '-'];
        let (mut passed_over, mut near) = (0, 0);
        for _ in 0..20_000 {
            let mut word = |max: usize| -> String {
                let len = next(max);
                (0..len).map(|_| alphabet[next(alphabet.len())]).collect()
            };
            let (w, c) = (word(16), word(30));
            let (lw, lc) = (w.chars().count(), c.chars().count());
            let budget = (lw / 3).max(1);
            let is_near =
                strsim::osa_distance(&w, &c) <= budget || strsim::jaro_winkler(&w, &c) >= 0.88;
            if !can_be_near_by_length(lw, lc, budget) {
                passed_over += 1;
                assert!(!is_near, "{w} / {c}");
            }
            near += usize::from(is_near);
        }
        assert!(passed_over > 5_000, "{passed_over}");
        assert!(near > 100, "{near}");
    }

    #[test]
    fn a_long_non_ascii_text_is_never_measured_against_short_names() {
        let wanted = "é".repeat(200_000);
        let mut near = Near::new(&wanted);
        let names: Vec<String> = (0..300).map(|i| format!("Personne Numéro {i}")).collect();
        for n in &names {
            near.offer(n, ());
        }
        assert_eq!(near.scored(), 0, "none is measured");
        assert!(near.best(3).is_empty());
        // Near texts are still measured and found.
        let mut near = Near::new("Personne Numéro 12x");
        for n in &names {
            near.offer(n, ());
        }
        assert!(near.scored() > 0);
        assert_eq!(near.best(1)[0].0, "Personne Numéro 12");
    }
}
