use std::io::Write as _;
use std::sync::Arc;

use serde::Serialize;

use super::writer::{encode_record, EncodeBody};
use super::*;
use crate::feed::{Event, RuntimeSample};

pub(crate) fn source() -> SourceInfo {
    SourceInfo {
        kind: "demo".into(),
        name: "gather".into(),
        engine: "probe".into(),
        fixed: true,
        knobs: vec![("fanout".into(), 8)],
    }
}

/// A small session: task `i` spawned in batch `i`, polled, and for even
/// `i` terminated.
pub(crate) fn batches(n: u64) -> Vec<Batch> {
    (0..n)
        .map(|i| {
            let at = i * 100_000_000;
            let mut b = Vec::new();
            if i == 0 {
                b.push(Event::SessionStarted {
                    source: source(),
                    at: 0,
                });
            }
            b.push(Event::TaskSpawned {
                id: i + 1,
                parent: None,
                location: Arc::from("src/gather.rs:12:5"),
                name: None,
                at,
            });
            b.push(Event::TaskPolled {
                id: i + 1,
                start: at + 10,
                end: at + 500,
                scheduled_ns: 3,
                worker: Some(0),
            });
            if i % 2 == 0 {
                b.push(Event::TaskTerminated {
                    id: i + 1,
                    at: at + 600,
                });
            }
            b.push(Event::Runtime(RuntimeSample {
                at: at + 700,
                global_queue: i,
                alive_tasks: i,
                ..RuntimeSample::default()
            }));
            b
        })
        .collect()
}

fn record(batches: &[Batch]) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("t.tsrec");
    let mut writer = RecordWriter::create(&path, source()).expect("create");
    for b in batches {
        writer.push(b.clone());
    }
    let summary = writer.finish().expect("finish");
    assert_eq!(summary.frames, batches.len() as u64);
    std::fs::read(&path).expect("read back")
}

#[test]
fn events_are_written_with_their_names() {
    let mut raw = Vec::new();
    (3u64, &batches(1)[0])
        .encode_body(&mut raw)
        .expect("encode");
    let text = String::from_utf8_lossy(&raw);
    assert!(
        text.contains("TaskSpawned") && text.contains("scheduled_ns"),
        "{text}"
    );
}

#[test]
fn a_recording_reads_back_as_written() {
    let written = batches(20);
    let rec = parse(&record(&written)).expect("parse");
    assert_eq!(rec.header.source, source());
    assert_eq!(rec.header.taskscope_version, env!("CARGO_PKG_VERSION"));
    assert!(rec.header.started_unix_ms > 1_600_000_000_000);
    let events: Vec<Batch> = rec.frames.iter().map(|f| f.events.clone()).collect();
    assert_eq!(events, written);
    assert!(rec.frames.windows(2).all(|w| w[0].at_ns <= w[1].at_ns));
    assert_eq!(
        rec.ending,
        Ending::Complete(Trailer {
            frames: 20,
            dropped_frames: 0
        })
    );
    assert_eq!(rec.unknown_events, 0);
}

#[test]
fn every_truncation_keeps_the_whole_frames_before_it() {
    let bytes = record(&batches(5));
    let full = parse(&bytes).expect("full");
    let header_end = header_end(&bytes);
    for len in 0..bytes.len() {
        match parse(&bytes[..len]) {
            Ok(rec) => {
                assert!(len >= header_end, "{len}");
                assert!(!matches!(rec.ending, Ending::Complete(_)), "{len}");
                assert!(rec.frames.len() <= full.frames.len());
                assert_eq!(rec.frames[..], full.frames[..rec.frames.len()], "{len}");
            }
            Err(e) => assert!(len < header_end, "{len}: {e}"),
        }
    }
    // Cut just before the trailer: every frame is there.
    let trailer = Trailer {
        frames: 5,
        dropped_frames: 0,
    };
    let trailer_len = encode_record(TAG_TRAILER, &trailer).expect("encode").len();
    let rec = parse(&bytes[..bytes.len() - trailer_len]).expect("no trailer");
    assert_eq!(rec.frames.len(), 5);
    assert_eq!(rec.ending, Ending::Truncated { torn_bytes: 0 });
}

/// Bytes up to the end of the header record.
fn header_end(bytes: &[u8]) -> usize {
    let len = u32::from_le_bytes([bytes[11], bytes[12], bytes[13], bytes[14]]) as usize;
    MAGIC.len() + 2 + RECORD_PREFIX + len
}

#[test]
fn bad_starts_are_errors_that_say_what_is_wrong() {
    let good = record(&batches(1));
    let mut newer = good.clone();
    newer[8..10].copy_from_slice(&99u16.to_le_bytes());
    let mut wrong_magic = good.clone();
    wrong_magic[1] = b'X';
    let cases: [(&[u8], &str); 5] = [
        (&[], "empty"),
        (&wrong_magic, "not a taskscope recording"),
        (&newer, "version 99 is newer"),
        (&good[..12], "ends inside its header"),
        (&good[..MAGIC.len()], "ends inside its header"),
    ];
    for (bytes, expected) in cases {
        let err = parse(bytes).expect_err(expected).to_string();
        assert!(err.contains(expected), "{err}");
    }
}

#[test]
fn random_bytes_never_panic() {
    let good = record(&batches(3));
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..2000 {
        let len = (next() % 600) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        // Half keep a valid start, to reach the record parser.
        if round % 2 == 0 {
            let keep = good.len().min(10 + (next() as usize % 80));
            bytes.splice(0..0, good[..keep].iter().copied());
        } else {
            let mut flipped = good.clone();
            let at = next() as usize % flipped.len();
            flipped[at] ^= 1 << (next() % 8);
            bytes = flipped;
        }
        let _ = parse(&bytes);
    }
}

#[test]
fn a_flipped_bit_in_a_frame_ends_the_recording_there() {
    let bytes = record(&batches(4));
    let mut flipped = bytes.clone();
    let trailer = Trailer {
        frames: 4,
        dropped_frames: 0,
    };
    let trailer_len = encode_record(TAG_TRAILER, &trailer).expect("encode").len();
    // The last byte of the last frame's payload.
    flipped[bytes.len() - trailer_len - 1] ^= 0x40;
    let rec = parse(&flipped).expect("header intact");
    assert!(
        matches!(rec.ending, Ending::Corrupt { .. }),
        "{:?}",
        rec.ending
    );
    assert_eq!(rec.frames.len(), 3);
}

/// An event variant from a newer taskscope, as serde would write it.
#[derive(Serialize)]
enum FutureEvent {
    ResourceCreated { id: u64, kind: String },
}

struct RawFrame(Vec<u8>);

impl EncodeBody for RawFrame {
    fn encode_body(&self, out: &mut Vec<u8>) -> std::io::Result<()> {
        out.write_all(&self.0)
    }
}

#[test]
fn events_of_unknown_kinds_are_skipped_one_by_one() {
    let known = Event::Tick { at: 5 };
    let mut raw = Vec::new();
    for value in [&7u64 as &dyn erased::Value, &known, &future(), &known] {
        value.write(&mut raw);
    }
    let mut bytes = record(&[]);
    let trailer_len = encode_record(TAG_TRAILER, &Trailer::default())
        .expect("encode")
        .len();
    bytes.truncate(bytes.len() - trailer_len);
    bytes.extend(encode_record(TAG_BATCH, &RawFrame(raw)).expect("encode"));
    let rec = parse(&bytes).expect("parse");
    assert_eq!(rec.unknown_events, 1);
    assert_eq!(rec.frames.len(), 1);
    assert_eq!(rec.frames[0].at_ns, 7);
    assert_eq!(rec.frames[0].events, vec![known.clone(), known]);
}

fn future() -> FutureEvent {
    FutureEvent::ResourceCreated {
        id: 3,
        kind: "semaphore".into(),
    }
}

/// Writes values of different types into one buffer, as the writer does.
mod erased {
    pub trait Value {
        fn write(&self, out: &mut Vec<u8>);
    }
    impl<T: serde::Serialize> Value for T {
        fn write(&self, out: &mut Vec<u8>) {
            rmp_serde::encode::write_named(out, self).expect("encode");
        }
    }
}

#[test]
fn a_full_queue_drops_frames_and_counts_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("t.tsrec");
    let mut writer = RecordWriter::with_queue(&path, source(), 2).expect("create");
    let one = batches(1).pop().expect("one");
    let big: Batch = (0..400).flat_map(|_| one.clone()).collect();
    for _ in 0..600 {
        writer.push(big.clone());
    }
    let summary = writer.finish().expect("finish");
    assert!(summary.dropped_frames > 0, "{summary:?}");
    assert_eq!(summary.frames + summary.dropped_frames, 600);
    let rec = read_file(&path).expect("read");
    let Ending::Complete(trailer) = rec.ending else {
        panic!("{:?}", rec.ending)
    };
    assert_eq!(trailer.dropped_frames, summary.dropped_frames);
    assert_eq!(rec.frames.len() as u64, summary.frames);
}
