//! `.tsrec`: a recorded session, read back by replay and the exporters.
//!
//! Layout (integers little-endian):
//!
//! ```text
//! magic    8 bytes   \x89 T S R E C \r \n   (catches text-mode and 7-bit mangling)
//! version  u16       FORMAT_VERSION
//! header   record    'H', a Header
//! frames   record*   'B', one Batch and when it arrived; 'E' (last), the Trailer
//!
//! record:  tag u8 | length u32 | crc32 u32 (of the payload) | payload
//! payload: deflate of MessagePack values (named fields and variants)
//! ```
//!
//! Each record is compressed on its own and written with one `write`, so a
//! process killed mid-write leaves whole records and at most one torn
//! record at the end; the reader drops that tail and keeps the rest.
//! MessagePack with names keeps a file readable when `Event` gains
//! variants or fields; a reader skips the events it does not know.

mod reader;
mod writer;

use serde::{Deserialize, Serialize};

pub use reader::{parse, read_file, Ending, ReadError, Recording};
pub use writer::{RecordWriter, WriteSummary};

use crate::feed::{Batch, Nanos, SourceInfo};

pub const MAGIC: [u8; 8] = *b"\x89TSREC\r\n";
/// Bumped when a reader of the old version could not read the new layout.
pub const FORMAT_VERSION: u16 = 1;

const TAG_HEADER: u8 = b'H';
const TAG_BATCH: u8 = b'B';
const TAG_TRAILER: u8 = b'E';
/// Tag, length and crc before each payload.
const RECORD_PREFIX: usize = 9;
/// A longer record is corruption, not data: no batch comes near this.
const MAX_RECORD: u32 = 256 << 20;

/// What the file is, written once at the start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The taskscope that wrote it, for bug reports.
    pub taskscope_version: String,
    /// What was recorded, as it was when the recording started.
    pub source: SourceInfo,
    /// Wall-clock start of the recording, milliseconds since the Unix epoch.
    pub started_unix_ms: u64,
}

/// One batch as the recorder received it.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// When it arrived, nanoseconds since the recording started.
    pub at_ns: Nanos,
    pub events: Batch,
}

/// Written last by a recorder that was not killed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trailer {
    pub frames: u64,
    /// Batches the recorder could not keep up with and left out.
    pub dropped_frames: u64,
}

#[cfg(test)]
pub(crate) mod tests;
