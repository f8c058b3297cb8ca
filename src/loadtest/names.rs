//! Labels and response codes, each kept once.

use std::collections::HashMap;

/// Names looked up one by one up to this many; hashed beyond.
const FEW: usize = 16;

/// Names met in a column, each kept once: a run has a few labels and
/// codes, and 900,000 rows must not make 900,000 strings.
#[derive(Debug, Default)]
pub struct Names {
    index: HashMap<Vec<u8>, u32>,
    /// The bytes as read, by id: two names that differ only in bytes that
    /// are not UTF-8 stay two.
    raw: Vec<Vec<u8>>,
    /// Index 0 is "not read".
    names: Vec<String>,
}

impl Names {
    /// The id of a name, given it on first sight.
    pub fn id(&mut self, raw: &[u8]) -> u32 {
        // A run has a handful of labels and codes: comparing a few short
        // names beats hashing one, on every row.
        if self.raw.len() <= FEW {
            if let Some(i) = self.raw.iter().skip(1).position(|n| n == raw) {
                return u32::try_from(i + 1).unwrap_or(u32::MAX);
            }
        } else if let Some(&id) = self.index.get(raw) {
            return id;
        }
        if self.names.is_empty() {
            self.names.push(String::new());
            self.raw.push(Vec::new());
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(String::from_utf8_lossy(raw).into_owned());
        self.raw.push(raw.to_vec());
        self.index.insert(raw.to_vec(), id);
        id
    }

    /// The name of an id; empty for 0 or an unknown one.
    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_name_once_however_many_and_whatever_bytes() {
        let mut names = Names::default();
        let ids: Vec<u32> = (0..40)
            .map(|i| names.id(format!("label-{}", i % 20).as_bytes()))
            .collect();
        assert_eq!(ids[..20], ids[20..]);
        assert_eq!(names.name(ids[3]), "label-3");
        let odd = names.id(b"caf\xe9");
        assert_eq!(names.id(b"caf\xe9"), odd);
        assert_ne!(names.id(b"caf\xe8"), odd);
        assert_eq!(names.name(0), "");
    }
}
