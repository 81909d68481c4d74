//! ABCI events, in the shape CometBFT and CosmJS read them.

/// One event: a type and ordered attributes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    /// The event type (`transfer`, `message`, `wasm`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// Attributes in emission order.
    pub attributes: Vec<EventAttribute>,
}

/// One attribute of an event.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EventAttribute {
    /// Key.
    pub key: String,
    /// Value.
    pub value: String,
    /// Whether the node indexes it for `tx_search` (CometBFT `index`).
    pub index: bool,
}

impl Event {
    /// An event with no attributes yet.
    pub fn new(kind: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            attributes: Vec::new(),
        }
    }

    /// Add an indexed attribute.
    pub fn attr(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.push(EventAttribute {
            key: key.into(),
            value: value.into(),
            index: true,
        });
        self
    }

    /// The value of the first attribute named `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.key == key)
            .map(|a| a.value.as_str())
    }
}

/// The CometBFT protobuf form (inside `SimulateResponse`).
pub(crate) fn to_abci(e: &Event) -> cosmos_sdk_proto::tendermint::abci::Event {
    cosmos_sdk_proto::tendermint::abci::Event {
        r#type: e.kind.clone(),
        attributes: e
            .attributes
            .iter()
            .map(|a| cosmos_sdk_proto::tendermint::abci::EventAttribute {
                key: a.key.clone(),
                value: a.value.clone(),
                index: a.index,
            })
            .collect(),
    }
}
