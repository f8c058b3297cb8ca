//! Labels and response codes, each kept once.

use std::collections::HashMap;

/// Names met in a column, each kept once: a run has a few labels and
/// codes, and 900,000 rows must not make 900,000 strings.
#[derive(Debug, Default)]
pub struct Names {
    index: HashMap<Vec<u8>, u32>,
    /// Index 0 is "not read".
    names: Vec<String>,
}

impl Names {
    /// The id of a name, given it on first sight.
    pub fn id(&mut self, raw: &[u8]) -> u32 {
        if let Some(&id) = self.index.get(raw) {
            return id;
        }
        if self.names.is_empty() {
            self.names.push(String::new());
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(String::from_utf8_lossy(raw).into_owned());
        self.index.insert(raw.to_vec(), id);
        id
    }

    /// The name of an id; empty for 0 or an unknown one.
    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
}
