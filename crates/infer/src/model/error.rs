//! Why a model could not be loaded from a GGUF file.

use std::path::PathBuf;

use crate::gguf::GgufError;

/// A model file that cannot be used: unreadable, malformed, or not a model this engine runs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read or is not valid GGUF.
    #[error(transparent)]
    Gguf(#[from] GgufError),
    /// A valid GGUF file whose contents this engine cannot run.
    #[error("{}: {reason}", path.display())]
    Model {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: ModelError,
    },
}

/// What makes a GGUF file unusable as a model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// `general.architecture` names an architecture this engine does not implement.
    #[error("unknown architecture {0:?} (supported: llama, qwen2)")]
    UnknownArchitecture(String),
    /// A required metadata key is absent.
    #[error("missing metadata key {0:?}")]
    MissingKey(String),
    /// A metadata value has the wrong type or an impossible value.
    #[error("metadata key {key:?}: {why}")]
    BadValue {
        /// The key.
        key: String,
        /// What is wrong.
        why: &'static str,
    },
    /// A required tensor is absent.
    #[error("missing tensor {0:?}")]
    MissingTensor(String),
    /// A tensor's shape disagrees with the configuration.
    #[error("tensor {name:?} has shape {found:?}, expected {expected:?}")]
    TensorShape {
        /// The tensor.
        name: String,
        /// Shape the configuration implies (innermost first).
        expected: Vec<u64>,
        /// Shape in the file.
        found: Vec<u64>,
    },
    /// A tensor type the kernels cannot compute with.
    #[error("tensor {name:?}: {why}")]
    TensorType {
        /// The tensor.
        name: String,
        /// The kernels' reason.
        why: String,
    },
}
