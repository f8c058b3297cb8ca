//! The calls of a JMeter XML result (`<testResults>`).

use super::Call;
use super::error::ResultError;
use super::names::Names;
use super::result_file::ReadCalls;

pub struct XmlCalls {
    names: Option<(Names, Names)>,
    skipped: u64,
    first_skip: Option<ResultError>,
}

impl XmlCalls {
    pub fn new(with_names: bool) -> XmlCalls {
        XmlCalls {
            names: with_names.then(|| (Names::default(), Names::default())),
            skipped: 0,
            first_skip: None,
        }
    }
}

impl ReadCalls for XmlCalls {
    fn feed(&mut self, _bytes: &[u8], _call: &mut dyn FnMut(Call)) -> Result<usize, ResultError> {
        Err(ResultError::new(1, 1, "JMeter XML is not read yet"))
    }

    fn end(
        &mut self,
        _rest: &[u8],
        _call: &mut dyn FnMut(Call),
    ) -> Result<Option<String>, ResultError> {
        Ok(None)
    }

    fn skipped(&self) -> u64 {
        self.skipped
    }

    fn first_skip(&self) -> Option<&ResultError> {
        self.first_skip.as_ref()
    }

    fn names(&self) -> Option<(&Names, &Names)> {
        self.names.as_ref().map(|(l, c)| (l, c))
    }
}
