//! The canonical 8-lane float accumulator (DESIGN.md section 4.3).

/// Eight f32 partial sums. Item `b` of a sequence is added into lane `b % 8` (a separate add,
/// never fused with the product that made it), and [`Lanes8::finish`] combines the lanes as
/// `((a0 + a4) + (a2 + a6)) + ((a1 + a5) + (a3 + a7))`.
///
/// Lanes start at `+0.0`. A lane that has only ever received `+0.0 + p` sums can never hold
/// `-0.0` (round-to-nearest gives `+0.0` for `x + (-x)` and for `+0.0 + -0.0`), so adding `+0.0`
/// to any lane leaves its bits unchanged. SIMD paths may therefore pad a partial group with
/// `+0.0` products; the scalar reference never adds to lanes a sequence does not reach.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Lanes8(pub(crate) [f32; 8]);

impl Lanes8 {
    /// All lanes `+0.0`.
    #[inline(always)]
    pub(crate) fn new() -> Self {
        Lanes8([0.0; 8])
    }

    /// `lane[b % 8] += p`.
    #[inline(always)]
    pub(crate) fn add(&mut self, b: usize, p: f32) {
        self.0[b % 8] += p;
    }

    /// The canonical combination of the eight lanes.
    #[inline(always)]
    pub(crate) fn finish(self) -> f32 {
        let a = self.0;
        ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7]))
    }
}

#[cfg(test)]
mod tests {
    use super::Lanes8;

    #[test]
    fn finish_uses_the_canonical_tree_not_a_sequential_sum() {
        // Chosen so that the tree and a left-to-right sum round differently.
        let mut l = Lanes8::new();
        let vals = [1.0e8_f32, 1.0, -1.0e8, 1.0, 3.0, 0.5, 7.0, 0.25];
        for (b, v) in vals.iter().enumerate() {
            l.add(b, *v);
        }
        let a = vals;
        let tree = ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7]));
        let seq: f32 = vals.iter().sum();
        assert_ne!(tree.to_bits(), seq.to_bits());
        assert_eq!(l.finish().to_bits(), tree.to_bits());
    }

    #[test]
    fn item_b_goes_to_lane_b_mod_8() {
        let mut l = Lanes8::new();
        for b in 0..19 {
            l.add(b, b as f32);
        }
        assert_eq!(l.0, [24.0, 27.0, 30.0, 14.0, 16.0, 18.0, 20.0, 22.0]);
    }
}
