//! Sorting long lists of answer rows in place: their positions are sorted and each row moved
//! once, so that neither room for half the list nor many moves of large rows are needed.

/// Lists up to this long are sorted by the standard stable sort (room for half of them).
const SORTED_AS_IS: usize = 1024;

/// Sorts `items` by `cmp` as a stable sort does (items that compare equal keep their order),
/// without the room for half the list a stable sort takes (a diff of every change holds more
/// than a million entries): their positions are sorted instead, and the items moved into
/// place along the permutation's cycles.
pub(crate) fn sort_in_place<T>(items: &mut [T], cmp: impl Fn(&T, &T) -> std::cmp::Ordering) {
    // A short list is sorted as it is: its room is small, and the positions would cost more.
    if items.len() <= SORTED_AS_IS {
        items.sort_by(cmp);
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_unstable_by(|&a, &b| cmp(&items[a], &items[b]).then(a.cmp(&b)));
    permute(items, order);
}

/// Sorts `items` by a key made once per item, then (for equal keys) by `then`: for lists whose
/// comparisons would otherwise make the same key again and again.
pub(crate) fn sort_by_key_then<T, K: Ord + Copy>(
    items: &mut [T],
    key: impl Fn(&T) -> K,
    then: impl Fn(&T, &T) -> std::cmp::Ordering,
) {
    let mut keyed: Vec<(K, usize)> = items.iter().map(&key).zip(0..).collect();
    keyed.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| then(&items[a.1], &items[b.1]))
            .then(a.1.cmp(&b.1))
    });
    permute(items, keyed.into_iter().map(|(_, i)| i).collect());
}

/// Moves item `order[j]` to place `j`, along the permutation's cycles.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    // A place is marked done by `order[j] == j`.
    for start in 0..order.len() {
        let mut j = start;
        loop {
            let k = order[j];
            order[j] = j;
            if k == start || k == j {
                break;
            }
            items.swap(j, k);
            j = k;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_in_place_is_a_stable_sort() {
        // Pairs of (key, position): many equal keys, in lists of every small length and a
        // few long ones, shuffled by a fixed linear congruential sequence.
        let mut seed = 12345u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for len in (0..40).chain([1000, 1025, 4099]) {
            let keys = 1 + next() % (len / 3 + 1);
            let items: Vec<(usize, usize)> = (0..len).map(|i| (next() % keys, i)).collect();
            let mut stable = items.clone();
            stable.sort_by_key(|p| p.0);
            let mut mine = items;
            sort_in_place(&mut mine, |a, b| a.0.cmp(&b.0));
            assert_eq!(mine, stable, "{len} items");
            let mut by_key = stable.clone();
            by_key.reverse();
            sort_by_key_then(&mut by_key, |p| p.0, |a, b| a.1.cmp(&b.1));
            assert_eq!(by_key, stable, "{len} items by key, then position");
        }
    }
}
