//! Rotary position embedding (RoFormer; llama.cpp `ggml_rope_ext`). Angles come from the pinned
//! libm in f64 and are rounded once to f32, so every machine rotates by the same f32 cos/sin.

use super::config::RopeStyle;

/// Per-model RoPE constants: the inverse frequency of each rotated pair.
#[derive(Debug, Clone)]
pub struct Rope {
    style: RopeStyle,
    /// `[rope_dim / 2]` `base^(-2i / rope_dim)` in f64.
    inv_freq: Vec<f64>,
}

impl Rope {
    /// Constants for `rope_dim` rotated dimensions with base `base`.
    pub fn new(style: RopeStyle, base: f32, rope_dim: usize) -> Self {
        let inv_freq = (0..rope_dim / 2)
            .map(|i| libm::pow(f64::from(base), -((2 * i) as f64) / rope_dim as f64))
            .collect();
        Rope { style, inv_freq }
    }

    /// The `(cos, sin)` of every pair at position `pos`, rounded to f32 (`[rope_dim / 2]`).
    pub fn table(&self, pos: usize, out: &mut Vec<(f32, f32)>) {
        out.clear();
        out.extend(self.inv_freq.iter().map(|&f| {
            let theta = pos as f64 * f;
            (libm::cos(theta) as f32, libm::sin(theta) as f32)
        }));
    }

    /// Rotates every head of `x` (`[n_heads][head_dim]`) by `table` from [`Rope::table`].
    pub fn apply(&self, x: &mut [f32], head_dim: usize, table: &[(f32, f32)]) {
        let half = table.len();
        for head in x.chunks_exact_mut(head_dim) {
            for (i, &(c, s)) in table.iter().enumerate() {
                let (a, b) = match self.style {
                    RopeStyle::Adjacent => (2 * i, 2 * i + 1),
                    RopeStyle::SplitHalves => (i, i + half),
                };
                let (x0, x1) = (head[a], head[b]);
                head[a] = x0 * c - x1 * s;
                head[b] = x0 * s + x1 * c;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_zero_is_the_identity() {
        let rope = Rope::new(RopeStyle::Adjacent, 10_000.0, 4);
        let mut t = Vec::new();
        rope.table(0, &mut t);
        let mut x = [1.0, 2.0, 3.0, 4.0];
        rope.apply(&mut x, 4, &t);
        assert_eq!(x, [1.0, 2.0, 3.0, 4.0]);
    }

    #[test]
    fn the_two_styles_pair_different_dimensions() {
        let mut t = Vec::new();
        let adj = Rope::new(RopeStyle::Adjacent, 10_000.0, 4);
        adj.table(1, &mut t);
        let mut a = [1.0, 0.0, 0.0, 0.0];
        adj.apply(&mut a, 4, &t);
        assert!(a[1] != 0.0 && a[2] == 0.0);
        let neox = Rope::new(RopeStyle::SplitHalves, 10_000.0, 4);
        let mut b = [1.0, 0.0, 0.0, 0.0];
        neox.apply(&mut b, 4, &t);
        assert!(b[1] == 0.0 && b[2] != 0.0);
    }
}
