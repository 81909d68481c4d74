//! [`FailPoint`]: a test hook that freezes the node at a chosen step of a chosen height, so that
//! tests can SIGKILL a real `wicasd start` exactly there (CometBFT's `libs/fail`).

use std::time::Duration;

/// Where [`FailPoint`] stops the node, in the order a height passes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CrashPoint {
    /// The block is executed, nothing of it is durable (consensus has not stored it).
    AfterFinalize,
    /// Consensus stored the decided block; the app has not written its state.
    AfterStore,
    /// The app wrote its state.
    AfterCommit,
}

impl std::str::FromStr for CrashPoint {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "after-finalize" => Ok(Self::AfterFinalize),
            "after-store" => Ok(Self::AfterStore),
            "after-commit" => Ok(Self::AfterCommit),
            other => Err(format!(
                "unknown crash point {other:?} (after-finalize, after-store, after-commit)"
            )),
        }
    }
}

/// A test hook (CometBFT's `libs/fail`): when the node reaches `point` at `height` it prints
/// `fail point POINT at height H reached` on stderr and freezes, so that a test can kill the
/// process there (SIGKILL). Never set on a real validator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailPoint {
    /// Where.
    pub point: CrashPoint,
    /// At which height.
    pub height: u64,
}

impl std::str::FromStr for FailPoint {
    type Err = String;

    /// `POINT@HEIGHT`, e.g. `after-store@5`.
    fn from_str(s: &str) -> Result<Self, String> {
        let (point, height) = s
            .split_once('@')
            .ok_or_else(|| format!("fail point {s:?}: expected POINT@HEIGHT"))?;
        Ok(Self {
            point: point.parse()?,
            height: height
                .parse()
                .map_err(|e| format!("fail point height {height:?}: {e}"))?,
        })
    }
}

/// How long a frozen fail point waits to be killed before it aborts the process itself.
const FAIL_POINT_FREEZE: Duration = Duration::from_secs(120);

impl FailPoint {
    /// Freeze (then abort) if this is the armed point and height.
    pub fn reached(&self, point: CrashPoint, height: u64) {
        if self.point == point && self.height == height {
            eprintln!("fail point {point:?} at height {height} reached");
            std::thread::sleep(FAIL_POINT_FREEZE);
            std::process::abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_points_parse_and_bad_ones_are_refused() {
        let f: FailPoint = "after-store@5".parse().unwrap();
        assert_eq!(
            f,
            FailPoint {
                point: CrashPoint::AfterStore,
                height: 5
            }
        );
        for bad in ["after-store", "nowhere@5", "after-commit@x", "@3", ""] {
            assert!(bad.parse::<FailPoint>().is_err(), "{bad:?}");
        }
    }
}
