//! `taskscope render`: a recording played headlessly through the UI's
//! renderer, into an asciicast, or one frame into text or SVG.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::time::Duration;

use ratatui::buffer::Buffer;

use super::{input_error, InputError};
use crate::cli::{RenderArgs, UiArgs};
use crate::feed::{Nanos, SourceInfo};
use crate::lints::LintConfig;
use crate::model::{Model, ModelConfig};
use crate::record::cast::{CastHeader, CastWriter};
use crate::record::tsrec::{Frame, Recording};
use crate::record::{ansi, svg};
use crate::ui::{buffer_to_text, render_to_buffer_with_warnings, Theme, ViewState};

pub const MIN_SIZE: (u16, u16) = (20, 5);
pub const MAX_SIZE: (u16, u16) = (500, 200);
pub const MAX_FPS: u32 = 60;

const NS_PER_S: u64 = 1_000_000_000;

pub fn run(args: &RenderArgs, ui: &UiArgs) -> anyhow::Result<()> {
    let (width, height) = parse_size(&args.size).map_err(InputError)?;
    let fps = parse_fps(&args.fps).map_err(InputError)?;
    let frame_at = match &args.frame_at {
        Some(at) => parse_frame_at(at).map_err(InputError)?,
        None => None,
    };
    if args.cast.is_none() && args.txt.is_none() && args.svg.is_none() {
        return input_error("nothing to render: give --cast, --txt or --svg");
    }
    if args.frame_at.is_some() && args.txt.is_none() && args.svg.is_none() {
        return input_error("--frame-at chooses the frame of --txt and --svg; give one of them");
    }
    let recording = super::replay::read(&args.file)?;
    if recording.frames.is_empty() {
        return input_error(format!(
            "{}: the recording has no frames to render",
            args.file.display()
        ));
    }
    super::replay::say_what_was_lost(&args.file, &recording);
    let theme = Theme::from_env(ui.ascii, !args.no_color);
    let screen = Screen {
        theme,
        width,
        height,
        lints: LintConfig::default(),
    };
    let title = title(&recording.header.source);

    if let Some(path) = &args.cast {
        let mut out = create(path)?;
        let header = CastHeader::new(
            width,
            height,
            recording.header.started_unix_ms / 1000,
            Some(title.clone()),
        );
        let written = write_cast(&recording, &screen, fps, &header, &mut out)
            .and_then(|frames| out.finish().map(|()| frames))
            .map_err(|e| cannot_write(path, &e))?;
        eprintln!(
            "taskscope: {}: {written} frames over {:.1}s",
            path.display(),
            seconds(recording.length_ns())
        );
    }
    if args.txt.is_some() || args.svg.is_some() {
        let length = recording.length_ns();
        let at = match frame_at {
            Some(at) if at > length => {
                eprintln!(
                    "taskscope: {}: --frame-at {} is past the end of the recording ({:.1}s); \
                     showing the end",
                    args.file.display(),
                    args.frame_at.as_deref().unwrap_or_default(),
                    seconds(length)
                );
                length
            }
            Some(at) => at,
            None => length,
        };
        let buf = screen.at(&recording.frames, at);
        if let Some(path) = &args.txt {
            let text = padded_text(&buf);
            write_file(path, text.as_bytes())?;
        }
        if let Some(path) = &args.svg {
            let title = format!("{title} at {:.1}s", seconds(at));
            write_file(path, svg::encode(&buf, &title).as_bytes())?;
        }
    }
    Ok(())
}

/// How the recording is drawn.
struct Screen {
    theme: Theme,
    width: u16,
    height: u16,
    /// The warnings shown, as the app would with no lint flags.
    lints: LintConfig,
}

impl Screen {
    fn render(&self, model: &Model) -> Buffer {
        let mut view = ViewState::default();
        view.refresh_order(model);
        let warnings = self.lints.check(model);
        render_to_buffer_with_warnings(
            model,
            &view,
            &warnings,
            &self.theme,
            self.width,
            self.height,
        )
    }

    /// The screen with every frame up to `at` applied (the first always).
    fn at(&self, frames: &[Frame], at: Nanos) -> Buffer {
        let mut model = Model::new(ModelConfig::default());
        for frame in &frames[..frames_up_to(frames, at)] {
            model.apply_all(&frame.events);
        }
        self.render(&model)
    }
}

/// How many frames are shown at `at`: those recorded by then, and at least
/// the first, so the screen never starts empty.
fn frames_up_to(frames: &[Frame], at: Nanos) -> usize {
    frames
        .partition_point(|f| f.at_ns <= at)
        .max(1)
        .min(frames.len())
}

/// Plays `recording` at `fps` ticks per second of recording time: at each
/// tick the frames recorded by then are applied and the screen drawn; it
/// is written only when it differs from the last one written. Returns how
/// many were.
fn write_cast<W: Write>(
    recording: &Recording,
    screen: &Screen,
    fps: u32,
    header: &CastHeader,
    out: W,
) -> io::Result<u64> {
    let frames = &recording.frames;
    let step = NS_PER_S / u64::from(fps.max(1));
    let ticks = recording.length_ns().div_ceil(step);
    let mut cast = CastWriter::new(out, header)?;
    let mut model = Model::new(ModelConfig::default());
    let mut applied = 0;
    let mut last: Option<Buffer> = None;
    for tick in 0..=ticks {
        let at = tick.saturating_mul(step);
        let due = frames_up_to(frames, at);
        if due == applied && last.is_some() {
            // Nothing new: the model, and so the screen, is as it was.
            continue;
        }
        for frame in &frames[applied..due] {
            model.apply_all(&frame.events);
        }
        applied = due;
        let buf = screen.render(&model);
        if last.as_ref() != Some(&buf) {
            cast.output(seconds(at), &ansi::encode(&buf))?;
            last = Some(buf);
        }
    }
    cast.finish()
}

/// The screen as text: exactly one line per row, each padded with spaces
/// to the screen's width in columns.
fn padded_text(buf: &Buffer) -> String {
    let width = usize::from(buf.area.width);
    let mut out = String::new();
    for line in buffer_to_text(buf).lines() {
        out.push_str(line);
        let used = ratatui::text::Span::raw(line).width();
        out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
        out.push('\n');
    }
    out
}

/// `taskscope: demo semaphore (broken)`, for the cast's and the SVG's title.
fn title(source: &SourceInfo) -> String {
    let variant = match source.kind.as_str() {
        "demo" if source.fixed => " (fixed)",
        "demo" => " (broken)",
        _ => "",
    };
    format!("taskscope: {} {}{variant}", source.kind, source.name)
}

#[allow(clippy::cast_precision_loss)] // Recording times are far below 2^52 ns.
fn seconds(ns: Nanos) -> f64 {
    ns as f64 / NS_PER_S as f64
}

/// `120x36`, within [`MIN_SIZE`] and [`MAX_SIZE`].
pub fn parse_size(s: &str) -> Result<(u16, u16), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("--size '{s}' is not WIDTHxHEIGHT (try 120x36)"))?;
    let number = |n: &str| {
        n.trim()
            .parse::<u16>()
            .map_err(|_| format!("--size '{s}' is not WIDTHxHEIGHT (try 120x36)"))
    };
    let (w, h) = (number(w)?, number(h)?);
    let ((min_w, min_h), (max_w, max_h)) = (MIN_SIZE, MAX_SIZE);
    if !(min_w..=max_w).contains(&w) || !(min_h..=max_h).contains(&h) {
        return Err(format!(
            "--size {w}x{h} is outside {min_w}x{min_h} to {max_w}x{max_h}"
        ));
    }
    Ok((w, h))
}

/// Frames per second, 1 to [`MAX_FPS`].
pub fn parse_fps(s: &str) -> Result<u32, String> {
    match s.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_FPS).contains(&n) => Ok(n),
        _ => Err(format!(
            "--fps '{s}' is not a whole number from 1 to {MAX_FPS}"
        )),
    }
}

/// A recording time (`5s`, `1m30s`, `250ms`), or `end` (none).
pub fn parse_frame_at(s: &str) -> Result<Option<Nanos>, String> {
    if s.trim() == "end" {
        return Ok(None);
    }
    let at: Duration = humantime::parse_duration(s.trim())
        .map_err(|e| format!("--frame-at '{s}': {e} (try 5s, 1m30s or end)"))?;
    Ok(Some(Nanos::try_from(at.as_nanos()).unwrap_or(Nanos::MAX)))
}

/// A file to write, or stdout for `-`.
enum Output {
    File(BufWriter<File>),
    Stdout(io::StdoutLock<'static>),
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::File(f) => f.write(buf),
            Output::Stdout(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::File(f) => f.flush(),
            Output::Stdout(s) => s.flush(),
        }
    }
}

impl Output {
    fn finish(mut self) -> io::Result<()> {
        self.flush()?;
        if let Output::File(f) = self {
            f.into_inner()
                .map_err(io::IntoInnerError::into_error)?
                .sync_all()?;
        }
        Ok(())
    }
}

/// A path the user named that cannot be written is bad input.
fn create(path: &Path) -> anyhow::Result<Output> {
    if path == Path::new("-") {
        return Ok(Output::Stdout(io::stdout().lock()));
    }
    match File::create(path) {
        Ok(f) => Ok(Output::File(BufWriter::new(f))),
        Err(e) => input_error(format!("cannot write {}: {e}", path.display())),
    }
}

fn cannot_write(path: &Path, e: &io::Error) -> anyhow::Error {
    InputError(format!("cannot write {}: {e}", path.display())).into()
}

fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = create(path)?;
    out.write_all(bytes)
        .and_then(|()| out.finish())
        .map_err(|e| cannot_write(path, &e))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::feed::Event;
    use crate::record::tsrec::{Ending, Header};

    #[test]
    fn sizes_are_width_by_height_within_bounds() {
        assert_eq!(parse_size("120x36"), Ok((120, 36)));
        assert_eq!(parse_size("20X5"), Ok((20, 5)));
        assert_eq!(parse_size("500x200"), Ok((500, 200)));
        for bad in [
            "", "120", "x36", "120x", "-1x5", "1e2x30", "120x36x2", "70000x5",
        ] {
            let e = parse_size(bad).expect_err(bad);
            assert!(e.contains("WIDTHxHEIGHT"), "{bad}: {e}");
        }
        for small_or_big in ["19x5", "20x4", "501x36", "120x201", "0x0"] {
            let e = parse_size(small_or_big).expect_err(small_or_big);
            assert!(e.contains("outside 20x5 to 500x200"), "{e}");
        }
    }

    #[test]
    fn fps_is_a_whole_number_in_range() {
        assert_eq!(parse_fps("4"), Ok(4));
        assert_eq!(parse_fps("60"), Ok(60));
        for bad in ["0", "61", "2.5", "", "ten"] {
            assert!(parse_fps(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn frame_at_is_a_duration_or_end() {
        assert_eq!(parse_frame_at("5s"), Ok(Some(5 * NS_PER_S)));
        assert_eq!(parse_frame_at("1m30s"), Ok(Some(90 * NS_PER_S)));
        assert_eq!(parse_frame_at("end"), Ok(None));
        assert!(parse_frame_at("5").is_err());
        assert!(parse_frame_at("soon").is_err());
    }

    fn source() -> SourceInfo {
        SourceInfo {
            kind: "demo".into(),
            name: "gather".into(),
            engine: "probe".into(),
            fixed: false,
            knobs: vec![],
        }
    }

    /// Frame `i` at `i` * 300 ms spawns task `i + 1`; nothing else happens.
    fn recording(frames: u64) -> Recording {
        let frames = (0..frames)
            .map(|i| {
                let at = i * 300_000_000;
                let mut events = vec![Event::TaskSpawned {
                    id: i + 1,
                    parent: None,
                    location: Arc::from("src/gather.rs:12:5"),
                    name: None,
                    at,
                }];
                if i == 0 {
                    events.insert(
                        0,
                        Event::SessionStarted {
                            source: source(),
                            at: 0,
                        },
                    );
                }
                Frame { at_ns: at, events }
            })
            .collect();
        Recording {
            version: 1,
            header: Header {
                taskscope_version: "test".into(),
                source: source(),
                started_unix_ms: 1_700_000_000_000,
            },
            frames,
            ending: Ending::Truncated { torn_bytes: 0 },
            unknown_events: 0,
        }
    }

    fn screen() -> Screen {
        Screen {
            theme: Theme::new(true, false),
            width: 80,
            height: 24,
            lints: LintConfig::default(),
        }
    }

    fn cast_times(recording: &Recording, fps: u32) -> Vec<f64> {
        let mut out = Vec::new();
        let header = CastHeader::new(80, 24, 0, None);
        write_cast(recording, &screen(), fps, &header, &mut out).expect("cast");
        String::from_utf8(out)
            .expect("utf-8")
            .lines()
            .skip(1)
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("json");
                v[0].as_f64().expect("time")
            })
            .collect()
    }

    #[test]
    fn a_cast_has_a_frame_at_each_tick_where_the_screen_changed() {
        // Frames at 0, 0.3, 0.6, 0.9 s; ticks every 0.25 s: the first shows
        // at once, each later one at the first tick after it.
        assert_eq!(cast_times(&recording(4), 4), [0.0, 0.5, 0.75, 1.0]);
        // At 1 fps, the frames of 0.3 and 0.6 s show together at 1 s.
        assert_eq!(cast_times(&recording(4), 1), [0.0, 1.0]);
    }

    #[test]
    fn a_single_frame_recording_is_a_single_cast_frame() {
        assert_eq!(cast_times(&recording(1), 10), [0.0]);
    }

    #[test]
    fn the_frame_at_a_time_has_the_frames_recorded_by_then() {
        let rec = recording(4);
        let s = screen();
        let text = |at| buffer_to_text(&s.at(&rec.frames, at));
        assert!(text(0).contains("gather.rs:12"));
        assert_ne!(text(0), text(300_000_000));
        assert_eq!(text(300_000_000), text(500_000_000));
        assert_eq!(text(900_000_000), text(u64::MAX));
    }

    #[test]
    fn padded_text_is_every_row_at_full_width() {
        let rec = recording(2);
        let s = screen();
        let text = padded_text(&s.at(&rec.frames, 0));
        assert_eq!(text.lines().count(), 24);
        assert!(text.lines().all(|l| l.chars().count() == 80), "{text}");
    }

    #[test]
    fn titles_say_what_was_recorded() {
        assert_eq!(title(&source()), "taskscope: demo gather (broken)");
        let attach = SourceInfo {
            kind: "attach".into(),
            name: "http://127.0.0.1:6669".into(),
            ..source()
        };
        assert_eq!(title(&attach), "taskscope: attach http://127.0.0.1:6669");
    }
}
