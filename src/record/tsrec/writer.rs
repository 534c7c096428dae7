//! Writes a `.tsrec` on its own thread, so recording never blocks the
//! runtime or the UI: batches go through a bounded queue and are dropped
//! (and counted) when the disk cannot keep up.

use std::fs::File;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use flate2::write::DeflateEncoder;
use flate2::{Compression, Crc};
use serde::Serialize;

use super::{
    Frame, Header, Trailer, FORMAT_VERSION, MAGIC, RECORD_PREFIX, TAG_BATCH, TAG_HEADER,
    TAG_TRAILER,
};
use crate::feed::{Batch, SourceInfo};

/// Batches waiting for the writer thread; about 25 s of 100 ms batches.
const QUEUE: usize = 256;

enum Message {
    Frame(Frame),
    Finish { dropped_frames: u64 },
}

/// What a finished recording holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteSummary {
    pub path: PathBuf,
    pub frames: u64,
    pub dropped_frames: u64,
    pub bytes: u64,
}

/// A recording in progress. Finish it with [`RecordWriter::finish`];
/// dropping it finishes it too, without reporting.
pub struct RecordWriter {
    queue: Option<SyncSender<Message>>,
    thread: Option<JoinHandle<io::Result<WriteSummary>>>,
    started: Instant,
    dropped_frames: u64,
    path: PathBuf,
}

impl RecordWriter {
    /// Creates `path` and writes the header now, so a bad path fails here.
    pub fn create(path: &Path, source: SourceInfo) -> io::Result<Self> {
        Self::with_queue(path, source, QUEUE)
    }

    pub(super) fn with_queue(path: &Path, source: SourceInfo, queue: usize) -> io::Result<Self> {
        let mut file = File::create(path)?;
        let header = Header {
            taskscope_version: env!("CARGO_PKG_VERSION").to_owned(),
            source,
            started_unix_ms: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        };
        let mut start = MAGIC.to_vec();
        start.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        start.extend(encode_record(TAG_HEADER, &header)?);
        file.write_all(&start)?;
        let (queue, rx) = mpsc::sync_channel(queue);
        let mut out = Output {
            file,
            path: path.to_owned(),
            frames: 0,
            bytes: start.len() as u64,
        };
        let thread = std::thread::Builder::new()
            .name("taskscope-record".into())
            .spawn(move || out.run(&rx))?;
        Ok(Self {
            queue: Some(queue),
            thread: Some(thread),
            started: Instant::now(),
            dropped_frames: 0,
            path: path.to_owned(),
        })
    }

    /// Queues `batch`, stamped with the time now; never waits.
    pub fn push(&mut self, batch: Batch) {
        let at_ns = u64::try_from(self.started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        let Some(queue) = &self.queue else { return };
        match queue.try_send(Message::Frame(Frame {
            at_ns,
            events: batch,
        })) {
            Ok(()) => {}
            // Disconnected: the writer stopped on an error; finish reports it.
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.dropped_frames += 1;
            }
        }
    }

    /// Writes the trailer and waits for the writer thread. An error names
    /// the file.
    pub fn finish(mut self) -> io::Result<WriteSummary> {
        self.close()
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", self.path.display())))
    }

    fn close(&mut self) -> io::Result<WriteSummary> {
        if let Some(queue) = self.queue.take() {
            // Blocking is fine here: the recording is over.
            let _ = queue.send(Message::Finish {
                dropped_frames: self.dropped_frames,
            });
        }
        let thread = self
            .thread
            .take()
            .ok_or_else(|| io::Error::other("the recording was already finished"))?;
        let mut summary = thread
            .join()
            .map_err(|_| io::Error::other("the recording thread panicked"))??;
        summary.dropped_frames = self.dropped_frames;
        Ok(summary)
    }
}

impl Drop for RecordWriter {
    fn drop(&mut self) {
        if self.thread.is_some() {
            let _ = self.close();
        }
    }
}

/// The writer thread's side.
struct Output {
    file: File,
    path: PathBuf,
    frames: u64,
    bytes: u64,
}

impl Output {
    fn run(&mut self, rx: &mpsc::Receiver<Message>) -> io::Result<WriteSummary> {
        // Without a Finish (the writer was leaked) there is no trailer, and
        // the reader treats the file like one from a killed process.
        while let Ok(message) = rx.recv() {
            match message {
                Message::Frame(frame) => {
                    let record = encode_record(TAG_BATCH, &(frame.at_ns, &frame.events))?;
                    self.write(&record)?;
                    self.frames += 1;
                }
                Message::Finish { dropped_frames } => {
                    let trailer = Trailer {
                        frames: self.frames,
                        dropped_frames,
                    };
                    self.write(&encode_record(TAG_TRAILER, &trailer)?)?;
                    break;
                }
            }
        }
        Ok(WriteSummary {
            path: self.path.clone(),
            frames: self.frames,
            dropped_frames: 0,
            bytes: self.bytes,
        })
    }

    /// One `write_all` per record: a kill leaves at most one torn record.
    fn write(&mut self, record: &[u8]) -> io::Result<()> {
        self.file.write_all(record)?;
        self.bytes += record.len() as u64;
        Ok(())
    }
}

/// `tag | length | crc32 | deflate(MessagePack(value))`. A batch is
/// encoded as its time followed by one value per event, so a reader can
/// skip events it does not know one by one.
pub(super) fn encode_record<T: EncodeBody + ?Sized>(tag: u8, value: &T) -> io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    value.encode_body(&mut raw)?;
    let mut deflate = DeflateEncoder::new(Vec::new(), Compression::fast());
    deflate.write_all(&raw)?;
    let payload = deflate.finish()?;
    let mut crc = Crc::new();
    crc.update(&payload);
    let length = u32::try_from(payload.len())
        .map_err(|_| io::Error::other("a batch is too large to record"))?;
    let mut record = Vec::with_capacity(RECORD_PREFIX + payload.len());
    record.push(tag);
    record.extend_from_slice(&length.to_le_bytes());
    record.extend_from_slice(&crc.sum().to_le_bytes());
    record.extend_from_slice(&payload);
    Ok(record)
}

/// How a record's payload is laid out before compression.
pub(super) trait EncodeBody {
    fn encode_body(&self, out: &mut Vec<u8>) -> io::Result<()>;
}

fn encode_value(out: &mut Vec<u8>, value: &impl Serialize) -> io::Result<()> {
    rmp_serde::encode::write_named(out, value).map_err(io::Error::other)
}

impl EncodeBody for Header {
    fn encode_body(&self, out: &mut Vec<u8>) -> io::Result<()> {
        encode_value(out, self)
    }
}

impl EncodeBody for Trailer {
    fn encode_body(&self, out: &mut Vec<u8>) -> io::Result<()> {
        encode_value(out, self)
    }
}

impl EncodeBody for (u64, &Batch) {
    fn encode_body(&self, out: &mut Vec<u8>) -> io::Result<()> {
        encode_value(out, &self.0)?;
        self.1.iter().try_for_each(|event| encode_value(out, event))
    }
}
