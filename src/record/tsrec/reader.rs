//! Reads a `.tsrec` whole. A bad start (not a recording, a newer version,
//! a torn header) is an error; a bad end (a torn or corrupt last record)
//! is not: the frames before it are kept and [`Ending`] says what happened.

use std::fmt;
use std::io::{self, Read as _};
use std::path::Path;

use flate2::read::DeflateDecoder;
use flate2::Crc;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize as _;

use super::{
    Frame, Header, Trailer, FORMAT_VERSION, MAGIC, MAX_RECORD, RECORD_PREFIX, TAG_BATCH,
    TAG_HEADER, TAG_TRAILER,
};
use crate::feed::{Event, Nanos};

/// A recording read back.
#[derive(Clone, Debug)]
pub struct Recording {
    pub version: u16,
    pub header: Header,
    pub frames: Vec<Frame>,
    pub ending: Ending,
    /// Events of kinds this taskscope does not know (a newer writer), skipped.
    pub unknown_events: u64,
}

/// How the file ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// With a trailer: the recorder finished.
    Complete(Trailer),
    /// Without one: the recorder was killed or the file was cut short.
    /// `torn_bytes` at the end were part of an unfinished record.
    Truncated { torn_bytes: u64 },
    /// A record at `offset` failed its checksum or would not decode; what
    /// follows it was ignored.
    Corrupt { offset: u64, problem: String },
}

/// Why a file cannot be read at all.
#[derive(Debug)]
pub enum ReadError {
    Io(io::Error),
    Empty,
    NotARecording,
    /// Shorter than its header: the recorder died before writing one.
    TruncatedHeader,
    NewerVersion(u16),
    OlderVersion(u16),
    CorruptHeader(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::Empty => f.write_str("the file is empty"),
            ReadError::NotARecording => f.write_str("not a taskscope recording (.tsrec)"),
            ReadError::TruncatedHeader => f.write_str("the recording ends inside its header"),
            ReadError::NewerVersion(v) => write!(
                f,
                "recording format version {v} is newer than this taskscope reads \
                 ({FORMAT_VERSION}); upgrade taskscope"
            ),
            ReadError::OlderVersion(v) => write!(f, "unknown recording format version {v}"),
            ReadError::CorruptHeader(why) => write!(f, "the recording's header is corrupt: {why}"),
        }
    }
}

impl std::error::Error for ReadError {}

impl Recording {
    /// Recording time of the last frame.
    #[must_use]
    pub fn length_ns(&self) -> Nanos {
        self.frames.last().map_or(0, |f| f.at_ns)
    }
}

/// Reads and parses the file at `path`.
pub fn read_file(path: &Path) -> Result<Recording, ReadError> {
    parse(&std::fs::read(path).map_err(ReadError::Io)?)
}

/// Parses a whole recording held in memory.
pub fn parse(bytes: &[u8]) -> Result<Recording, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let magic_len = MAGIC.len().min(bytes.len());
    if bytes[..magic_len] != MAGIC[..magic_len] {
        return Err(ReadError::NotARecording);
    }
    let start = MAGIC.len() + 2;
    let Some(version) = bytes.get(MAGIC.len()..start) else {
        return Err(ReadError::TruncatedHeader);
    };
    let version = u16::from_le_bytes([version[0], version[1]]);
    if version > FORMAT_VERSION {
        return Err(ReadError::NewerVersion(version));
    }
    if version < FORMAT_VERSION {
        return Err(ReadError::OlderVersion(version));
    }
    let mut records = Records {
        bytes,
        offset: start,
    };
    let header = match records.next_record() {
        Next::Record(TAG_HEADER, payload) => decode_header(payload)?,
        Next::Record(tag, _) => {
            return Err(ReadError::CorruptHeader(format!("unexpected record {tag}")))
        }
        Next::End | Next::Torn => return Err(ReadError::TruncatedHeader),
        Next::Corrupt(why) => return Err(ReadError::CorruptHeader(why)),
    };
    let mut recording = Recording {
        version,
        header,
        frames: Vec::new(),
        ending: Ending::Truncated { torn_bytes: 0 },
        unknown_events: 0,
    };
    loop {
        let offset = records.offset as u64;
        let corrupt = |problem: String| Ending::Corrupt { offset, problem };
        match records.next_record() {
            Next::Record(TAG_BATCH, payload) => match decode_frame(payload) {
                Ok((frame, unknown)) => {
                    recording.frames.push(frame);
                    recording.unknown_events += unknown;
                }
                Err(problem) => {
                    recording.ending = corrupt(problem);
                    break;
                }
            },
            Next::Record(TAG_TRAILER, payload) => {
                recording.ending = match inflate(payload).and_then(|raw| decode_value(&raw)) {
                    Ok(trailer) => Ending::Complete(trailer),
                    Err(problem) => corrupt(problem),
                };
                break;
            }
            // Kinds of record a newer writer may add: skip them whole.
            Next::Record(..) => {}
            Next::End => break,
            Next::Torn => {
                recording.ending = Ending::Truncated {
                    torn_bytes: (bytes.len() as u64).saturating_sub(offset),
                };
                break;
            }
            Next::Corrupt(problem) => {
                recording.ending = corrupt(problem);
                break;
            }
        }
    }
    Ok(recording)
}

enum Next<'a> {
    Record(u8, &'a [u8]),
    /// No bytes left.
    End,
    /// The last record is cut short.
    Torn,
    Corrupt(String),
}

struct Records<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Records<'a> {
    fn next_record(&mut self) -> Next<'a> {
        let rest = &self.bytes[self.offset..];
        if rest.is_empty() {
            return Next::End;
        }
        let Some(prefix) = rest.get(..RECORD_PREFIX) else {
            return Next::Torn;
        };
        let tag = prefix[0];
        let length = u32::from_le_bytes([prefix[1], prefix[2], prefix[3], prefix[4]]);
        let crc = u32::from_le_bytes([prefix[5], prefix[6], prefix[7], prefix[8]]);
        if length > MAX_RECORD {
            return Next::Corrupt(format!("a record claims {length} bytes"));
        }
        let end = RECORD_PREFIX + length as usize;
        let Some(payload) = rest.get(RECORD_PREFIX..end) else {
            return Next::Torn;
        };
        let mut check = Crc::new();
        check.update(payload);
        // Fuzzing skips the check, to reach the decoders behind it.
        if check.sum() != crc && !cfg!(fuzzing) {
            return Next::Corrupt("checksum mismatch".into());
        }
        self.offset += end;
        Next::Record(tag, payload)
    }
}

fn inflate(payload: &[u8]) -> Result<Vec<u8>, String> {
    let mut raw = Vec::new();
    DeflateDecoder::new(payload)
        .read_to_end(&mut raw)
        .map_err(|e| format!("cannot decompress: {e}"))?;
    Ok(raw)
}

fn decode_value<T: DeserializeOwned>(raw: &[u8]) -> Result<T, String> {
    rmp_serde::from_slice(raw).map_err(|e| e.to_string())
}

fn decode_header(payload: &[u8]) -> Result<Header, ReadError> {
    inflate(payload)
        .and_then(|raw| decode_value(&raw))
        .map_err(ReadError::CorruptHeader)
}

/// A frame and how many of its events were of unknown kinds.
fn decode_frame(payload: &[u8]) -> Result<(Frame, u64), String> {
    let raw = inflate(payload)?;
    let mut input = raw.as_slice();
    let at_ns = u64::deserialize(&mut rmp_serde::Deserializer::new(&mut input))
        .map_err(|e| format!("bad frame time: {e}"))?;
    let mut events = Vec::new();
    let mut unknown = 0;
    while !input.is_empty() {
        let before = input;
        if let Ok(event) = Event::deserialize(&mut rmp_serde::Deserializer::new(&mut input)) {
            events.push(event);
            continue;
        }
        // Not an event this version knows: step over the one value.
        input = before;
        IgnoredAny::deserialize(&mut rmp_serde::Deserializer::new(&mut input))
            .map_err(|e| format!("bad event: {e}"))?;
        if input.len() == before.len() {
            return Err("an event of no bytes".into());
        }
        unknown += 1;
    }
    Ok((Frame { at_ns, events }, unknown))
}
