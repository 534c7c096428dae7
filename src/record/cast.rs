//! asciicast v2 (<https://docs.asciinema.org/manual/asciicast/v2/>): a JSON
//! header line, then one `[time, "o", data]` line per output event.

use std::io::{self, Write};

use serde::Serialize;

/// The first line of a cast.
#[derive(Clone, Debug, Serialize)]
pub struct CastHeader {
    pub version: u8,
    pub width: u16,
    pub height: u16,
    /// Unix seconds of the recording's start.
    pub timestamp: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub env: CastEnv,
}

#[derive(Clone, Debug, Serialize)]
pub struct CastEnv {
    #[serde(rename = "TERM")]
    pub term: String,
}

impl CastHeader {
    #[must_use]
    pub fn new(width: u16, height: u16, timestamp: u64, title: Option<String>) -> Self {
        Self {
            version: 2,
            width,
            height,
            timestamp,
            title,
            env: CastEnv {
                term: "xterm-256color".to_owned(),
            },
        }
    }
}

/// Writes a cast event by event. Times are seconds from the start; one
/// earlier than the event before is moved up to it, so they never decrease.
pub struct CastWriter<W: Write> {
    out: W,
    last_time: f64,
    events: u64,
}

impl<W: Write> CastWriter<W> {
    /// Writes the header line.
    pub fn new(mut out: W, header: &CastHeader) -> io::Result<Self> {
        serde_json::to_writer(&mut out, header)?;
        out.write_all(b"\n")?;
        Ok(Self {
            out,
            last_time: 0.0,
            events: 0,
        })
    }

    /// One output event: `data` written to the terminal at `seconds`.
    pub fn output(&mut self, seconds: f64, data: &str) -> io::Result<()> {
        let seconds = if seconds.is_finite() {
            seconds.max(self.last_time)
        } else {
            self.last_time
        };
        // Microseconds, as asciinema writes them.
        let seconds = (seconds * 1e6).round() / 1e6;
        self.last_time = seconds;
        serde_json::to_writer(&mut self.out, &(seconds, "o", data))?;
        self.out.write_all(b"\n")?;
        self.events += 1;
        Ok(())
    }

    /// Flushes and returns how many events were written.
    pub fn finish(mut self) -> io::Result<u64> {
        self.out.flush()?;
        Ok(self.events)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    fn lines(bytes: &[u8]) -> Vec<Value> {
        std::str::from_utf8(bytes)
            .expect("utf-8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect()
    }

    #[test]
    fn a_cast_is_a_header_line_then_event_arrays() {
        let mut out = Vec::new();
        let header = CastHeader::new(120, 36, 1_700_000_000, Some("t".into()));
        let mut w = CastWriter::new(&mut out, &header).expect("header");
        w.output(0.0, "\x1b[2Jhi").expect("event");
        w.output(0.25, "\"x\"\n").expect("event");
        assert_eq!(w.finish().expect("finish"), 2);
        let lines = lines(&out);
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[0],
            serde_json::json!({"version": 2, "width": 120, "height": 36,
                "timestamp": 1_700_000_000u64, "title": "t",
                "env": {"TERM": "xterm-256color"}})
        );
        assert_eq!(lines[1], serde_json::json!([0.0, "o", "\x1b[2Jhi"]));
        assert_eq!(lines[2], serde_json::json!([0.25, "o", "\"x\"\n"]));
    }

    #[test]
    fn times_never_decrease_and_are_rounded_to_microseconds() {
        let mut out = Vec::new();
        let header = CastHeader::new(20, 5, 0, None);
        let mut w = CastWriter::new(&mut out, &header).expect("header");
        for t in [1.0, 0.5, f64::NAN, 2.000_000_4, f64::INFINITY] {
            w.output(t, "x").expect("event");
        }
        w.finish().expect("finish");
        let times: Vec<f64> = lines(&out)[1..]
            .iter()
            .map(|e| e[0].as_f64().expect("time"))
            .collect();
        assert_eq!(times, [1.0, 1.0, 1.0, 2.0, 2.0]);
        assert!(!String::from_utf8_lossy(&out).contains("title"));
    }
}
