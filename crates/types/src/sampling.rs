//! How the next token is chosen, in a JSON form with no floats.
//!
//! Parameters are integers in thousandths ("permille") rather than JSON floats: a float's text
//! form is not unique (`0.7`, `0.70`, `7e-1`), different JSON libraries may round the last digit
//! differently, and contracts would otherwise need float code (NaN canonicalisation, larger wasm).
//! An integer is exact on every side; the node converts it with one correctly rounded division
//! (`permille as f32 / 1000.0`), which gives the same bits everywhere.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One unit = 1/1000; `PERMILLE` is 1.0.
pub const PERMILLE: u32 = 1000;

/// Largest temperature accepted: 5.0 (beyond it sampling is noise).
const MAX_TEMPERATURE_PERMILLE: u32 = 5 * PERMILLE;
/// Largest repetition penalty accepted: 10.0.
const MAX_REPEAT_PENALTY_PERMILLE: u32 = 10 * PERMILLE;

/// The sampling strategy. JSON: `"greedy"` or
/// `{"sample":{"temperature_permille":700,"top_k":40,"top_p_permille":950,"repeat_penalty_permille":1100,"seed_salt":0}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sampling {
    /// Always the most likely token; ties go to the lowest token id.
    #[default]
    Greedy,
    /// Random sampling from the filtered distribution with the chain's seeded integer PRNG.
    Sample {
        /// Softmax temperature in thousandths (700 = 0.7); must be in 1..=5000.
        temperature_permille: u32,
        /// Keep the k most likely tokens; 0 = no limit.
        #[serde(default)]
        top_k: u32,
        /// Nucleus threshold in thousandths, 1..=1000 (1000 = off).
        #[serde(default = "permille_one")]
        top_p_permille: u32,
        /// Repetition penalty in thousandths, 1000..=10000 (1000 = off).
        #[serde(default = "permille_one")]
        repeat_penalty_permille: u32,
    },
}

fn permille_one() -> u32 {
    PERMILLE
}

impl Sampling {
    /// Check the ranges documented on each field; `Err` names the offending field.
    pub fn validate(&self) -> Result<(), &'static str> {
        match *self {
            Sampling::Greedy => Ok(()),
            Sampling::Sample {
                temperature_permille,
                top_k: _,
                top_p_permille,
                repeat_penalty_permille,
            } => {
                if !(1..=MAX_TEMPERATURE_PERMILLE).contains(&temperature_permille) {
                    return Err("temperature_permille must be in 1..=5000");
                }
                if !(1..=PERMILLE).contains(&top_p_permille) {
                    return Err("top_p_permille must be in 1..=1000");
                }
                if !(PERMILLE..=MAX_REPEAT_PENALTY_PERMILLE).contains(&repeat_penalty_permille) {
                    return Err("repeat_penalty_permille must be in 1000..=10000");
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shapes_are_stable() {
        assert_eq!(
            serde_json::to_string(&Sampling::Greedy).unwrap(),
            "\"greedy\""
        );
        let sample: Sampling =
            serde_json::from_str(r#"{"sample":{"temperature_permille":700}}"#).unwrap();
        assert_eq!(
            sample,
            Sampling::Sample {
                temperature_permille: 700,
                top_k: 0,
                top_p_permille: 1000,
                repeat_penalty_permille: 1000
            }
        );
        assert_eq!(sample.validate(), Ok(()));
    }

    #[test]
    fn out_of_range_parameters_are_named() {
        let zero_temperature = Sampling::Sample {
            temperature_permille: 0,
            top_k: 0,
            top_p_permille: 1000,
            repeat_penalty_permille: 1000,
        };
        assert!(
            zero_temperature
                .validate()
                .unwrap_err()
                .contains("temperature")
        );
        // A float where an integer belongs is a parse error, not a silent rounding.
        assert!(
            serde_json::from_str::<Sampling>(r#"{"sample":{"temperature_permille":0.7}}"#).is_err()
        );
    }
}
