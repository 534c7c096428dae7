//! The replay source: a `.tsrec` read back through the same feed.
//!
//! Frames are delivered at their recorded pace (times a speed), or as fast
//! as the consumer takes them. Seeking back resets the model with a
//! `SessionStarted` and delivers every frame up to the target in one
//! batch: the frames are decoded once, up front, so a seek costs only the
//! model's work. Every batch ends with a `ReplayPosition` for the UI.

use std::ops::Range;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::feed::{Batch, Command, Event, Feed, Nanos, ReplayStatus, SeekTarget, SourceInfo};
use crate::record::tsrec::{Frame, Recording};

pub const MIN_SPEED_PERCENT: u16 = 25;
pub const MAX_SPEED_PERCENT: u16 = 1600;

#[derive(Clone, Copy, Debug)]
pub struct ReplayOptions {
    /// Deliver frames at their recorded pace; false: as fast as possible.
    pub paced: bool,
    pub speed_percent: u16,
    /// Close the feed after the last frame (headless); else stay at the
    /// end, ready to seek.
    pub close_at_end: bool,
}

/// Starts replaying `recording`. Call it inside a tokio runtime.
#[must_use]
pub fn start(recording: Recording, opts: ReplayOptions) -> Feed {
    let (tx, batches) = mpsc::channel(16);
    let (commands, command_rx) = mpsc::unbounded_channel();
    let player = Player::new(recording, opts.speed_percent, Instant::now());
    tokio::spawn(play(player, opts, tx, command_rx));
    Feed { batches, commands }
}

/// The next speed up or down the 0.25x .. 16x ladder (doubling), for keys.
#[must_use]
pub fn next_speed(percent: u16, faster: bool) -> u16 {
    let next = if faster {
        percent.saturating_mul(2)
    } else {
        percent / 2
    };
    next.clamp(MIN_SPEED_PERCENT, MAX_SPEED_PERCENT)
}

async fn play(
    mut player: Player,
    opts: ReplayOptions,
    tx: mpsc::Sender<Batch>,
    mut commands: mpsc::UnboundedReceiver<Command>,
) {
    // The length and position at once, before the first frame is due.
    if tx.send(vec![player.status(Instant::now())]).await.is_err() {
        return;
    }
    loop {
        if opts.close_at_end && player.at_end() {
            return;
        }
        let due = if opts.paced {
            player.next_due()
        } else {
            (!player.at_end()).then(Instant::now)
        };
        let wake = async move {
            match due {
                Some(at) => tokio::time::sleep_until(at.into()).await,
                None => std::future::pending().await,
            }
        };
        let batch = tokio::select! {
            biased;
            command = commands.recv() => match command {
                None | Some(Command::Stop) => return,
                Some(command) => player.apply(command, Instant::now()),
            },
            () = wake => Some(if opts.paced {
                player.due(Instant::now())
            } else {
                player.next_frame(Instant::now())
            }),
        };
        if let Some(batch) = batch {
            if tx.send(batch).await.is_err() {
                return;
            }
        }
    }
}

/// Replay state with no I/O: which frame is next and where the clock is.
/// Methods take the time now, so tests drive it without waiting.
pub struct Player {
    frames: Vec<Frame>,
    source: SourceInfo,
    length: Nanos,
    /// Index of the first frame not yet delivered.
    next: usize,
    /// Recording time at `anchor`.
    pos: Nanos,
    anchor: Instant,
    paused: bool,
    speed_percent: u16,
}

impl Player {
    #[must_use]
    pub fn new(recording: Recording, speed_percent: u16, now: Instant) -> Self {
        let length = recording.length_ns();
        Self {
            frames: recording.frames,
            source: recording.header.source,
            length,
            next: 0,
            pos: 0,
            anchor: now,
            paused: false,
            speed_percent: speed_percent.clamp(MIN_SPEED_PERCENT, MAX_SPEED_PERCENT),
        }
    }

    /// Recording time now.
    #[must_use]
    pub fn position(&self, now: Instant) -> Nanos {
        if self.paused {
            return self.pos;
        }
        let played = now.saturating_duration_since(self.anchor).as_nanos()
            * u128::from(self.speed_percent)
            / 100;
        let at = (u128::from(self.pos) + played).min(u128::from(self.length));
        Nanos::try_from(at).unwrap_or(self.length)
    }

    #[must_use]
    pub fn at_end(&self) -> bool {
        self.next >= self.frames.len()
    }

    #[must_use]
    pub fn status(&self, now: Instant) -> Event {
        Event::ReplayPosition(ReplayStatus {
            at: self.position(now),
            length: self.length,
            paused: self.paused,
            speed_percent: self.speed_percent,
        })
    }

    /// When the next frame is due, if playing.
    #[must_use]
    pub fn next_due(&self) -> Option<Instant> {
        if self.paused {
            return None;
        }
        let frame = self.frames.get(self.next)?;
        let ahead =
            u128::from(frame.at_ns.saturating_sub(self.pos)) * 100 / u128::from(self.speed_percent);
        let ahead = Duration::from_nanos(u64::try_from(ahead).unwrap_or(u64::MAX));
        Some(self.anchor.checked_add(ahead).unwrap_or(self.anchor))
    }

    /// Every frame due by `now`, in one batch.
    pub fn due(&mut self, now: Instant) -> Batch {
        let pos = self.position(now);
        let end = self.frames_up_to(pos).max(self.next);
        let mut batch = self.take(self.next..end);
        batch.push(self.status(now));
        batch
    }

    /// The next frame, with the clock moved to it (fast replay).
    pub fn next_frame(&mut self, now: Instant) -> Batch {
        let Some(frame) = self.frames.get(self.next) else {
            return vec![self.status(now)];
        };
        self.pos = frame.at_ns;
        self.anchor = now;
        let mut batch = self.take(self.next..self.next + 1);
        batch.push(self.status(now));
        batch
    }

    /// Carries out a command; the batch to send, if any.
    pub fn apply(&mut self, command: Command, now: Instant) -> Option<Batch> {
        match command {
            Command::Pause => {
                if self.paused {
                    self.anchor = now;
                    self.paused = false;
                } else {
                    self.pos = self.position(now);
                    self.paused = true;
                }
                Some(vec![self.status(now)])
            }
            Command::Step => {
                self.pos = self.position(now);
                self.paused = true;
                Some(self.next_frame(now))
            }
            Command::Seek { to } => Some(self.seek(to, now)),
            Command::SetSpeed { percent } => {
                self.pos = self.position(now);
                self.anchor = now;
                self.speed_percent = percent.clamp(MIN_SPEED_PERCENT, MAX_SPEED_PERCENT);
                Some(vec![self.status(now)])
            }
            Command::ToggleFixed
            | Command::NudgeMainKnob { .. }
            | Command::SwitchDemo { .. }
            | Command::Stop => None,
        }
    }

    fn seek(&mut self, to: SeekTarget, now: Instant) -> Batch {
        let target = match to {
            SeekTarget::At(at) => at,
            SeekTarget::By(delta) => self.position(now).saturating_add_signed(delta),
        }
        .min(self.length);
        let end = self.frames_up_to(target);
        let mut batch = if end >= self.next {
            self.take(self.next..end)
        } else {
            // Back in time: the model starts over from the first frame.
            let reset = Event::SessionStarted {
                source: self.source.clone(),
                at: 0,
            };
            let mut batch = vec![reset];
            batch.extend(self.take(0..end));
            batch
        };
        self.pos = target;
        self.anchor = now;
        batch.push(self.status(now));
        batch
    }

    /// How many frames were recorded at or before `at`.
    fn frames_up_to(&self, at: Nanos) -> usize {
        self.frames.partition_point(|f| f.at_ns <= at)
    }

    /// The events of `range`'s frames (with room for a status after them);
    /// they count as delivered.
    fn take(&mut self, range: Range<usize>) -> Batch {
        let frames = &self.frames[range.clone()];
        let size: usize = frames.iter().map(|f| f.events.len()).sum();
        let mut batch = Vec::with_capacity(size + 1);
        for frame in frames {
            batch.extend(frame.events.iter().cloned());
        }
        self.next = range.end;
        batch
    }
}

#[cfg(test)]
mod tests;
