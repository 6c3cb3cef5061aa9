//! Many facts' ids (and a text each) kept in one string rather than a string each, and
//! numbered in the order of their ids: for answers that list a million facts (a diagram of a
//! whole world, a diff of every change).

/// Facts' ids, each with a text of its own (a diagram's facts' titles; none for a diff), one
/// after another in one string, numbered first as they are kept, then in the order of their
/// ids ([`Texts::number_by_id`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Texts {
    text: String,
    /// For each fact as kept: where its id ends and where its title ends.
    ends: Vec<(usize, usize)>,
    /// For each fact in the order of ids: where its id starts, and the lengths of its id and
    /// title (which follows it).
    spans: Vec<(usize, u32, u32)>,
}

impl Texts {
    /// Keeps `id` and its `title`; returns its number among those kept.
    pub fn push(&mut self, id: &str, title: &str) -> u32 {
        self.text.push_str(id);
        let id_end = self.text.len();
        self.text.push_str(title);
        self.ends.push((id_end, self.text.len()));
        (self.ends.len() - 1) as u32
    }

    /// How many facts are kept, once numbered by id.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Where the fact kept as number `k` lies: as [`Texts::spans`] says.
    fn kept(&self, k: u32) -> (usize, u32, u32) {
        let start = match k.checked_sub(1) {
            Some(p) => self.ends[p as usize].1,
            None => 0,
        };
        let (id_end, end) = self.ends[k as usize];
        (start, (id_end - start) as u32, (end - id_end) as u32)
    }

    /// Numbers the facts kept in the order of their ids (equal ids, which valid data never
    /// has, in the order kept); gives each fact's new number, by its number as kept.
    pub fn number_by_id(&mut self) -> Vec<u32> {
        let text = self.text.as_str();
        let id = |(start, len, _): (usize, u32, u32)| &text[start..start + len as usize];
        // Most ids differ in their first eight bytes: compared as one number, the strings
        // only where those are equal.
        let head = |id: &str| {
            let mut b = [0u8; 8];
            let n = id.len().min(8);
            b[..n].copy_from_slice(&id.as_bytes()[..n]);
            u64::from_be_bytes(b)
        };
        let mut order: Vec<(u64, u32)> = (0..self.ends.len() as u32)
            .map(|k| (head(id(self.kept(k))), k))
            .collect();
        order.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| id(self.kept(a.1)).cmp(id(self.kept(b.1))))
                .then(a.1.cmp(&b.1))
        });
        let mut number = vec![0; order.len()];
        for (n, &(_, k)) in order.iter().enumerate() {
            number[k as usize] = n as u32;
        }
        self.spans = order.into_iter().map(|(_, k)| self.kept(k)).collect();
        self.ends = Vec::new();
        number
    }

    /// The id of fact `t` (numbered by id).
    pub fn id(&self, t: u32) -> &str {
        let (start, len, _) = self.spans[t as usize];
        &self.text[start..start + len as usize]
    }

    /// The title of fact `t` (numbered by id).
    pub fn title(&self, t: u32) -> &str {
        let (start, id, title) = self.spans[t as usize];
        let from = start + id as usize;
        &self.text[from..from + title as usize]
    }
}
