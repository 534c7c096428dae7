//! `taskscope render`, through the real binary: asciicasts, text and SVG
//! screenshots of a recording, and its bad input.

mod support;

use support::cli::{command, ok, path_str as s, run as taskscope};

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use quick_xml::events::Event as Xml;
use serde_json::Value;

/// Exit code 2 and one line on stderr that contains `problem`.
fn bad_input(args: &[&str], problem: &str) {
    let out = taskscope(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    assert!(err.contains(problem), "{args:?}: {err}");
}

/// Two seconds of the broken semaphore demo, recorded once for every test.
fn recording() -> &'static Path {
    static REC: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = REC.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("semaphore.tsrec");
        ok(&[
            "demo",
            "semaphore",
            "--headless",
            "--duration",
            "2s",
            "--record",
            s(&path),
        ]);
        (dir, path)
    });
    path
}

/// The tasks table's header row: every column title on one line.
fn has_table_header(screen: &str) -> bool {
    screen.lines().any(|l| {
        [
            "ID", "State", "Location", "Parent", "Total", "Busy", "Polls",
        ]
        .iter()
        .all(|title| l.contains(title))
    })
}

/// What a terminal of `width` x `height` shows after `data`: enough of
/// one to check a frame (SGR, home, clear, cursor to a row's start).
/// Panics on a sequence it does not know and on text past the edges.
fn play(data: &str, width: usize, height: usize) -> Vec<String> {
    let blank = vec![vec![' '; width]; height];
    let mut screen = blank.clone();
    let (mut row, mut col) = (0usize, 0usize);
    let mut chars = data.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            assert!(!c.is_control(), "control {c:?} in {data:?}");
            assert!(
                row < height && col < width,
                "text past the screen at {row},{col}"
            );
            screen[row][col] = c;
            col += 1;
            continue;
        }
        assert_eq!(chars.next(), Some('['), "not a CSI in {data:?}");
        let mut params = String::new();
        let end = loop {
            match chars.next() {
                Some(c) if c.is_ascii_digit() || c == ';' => params.push(c),
                Some(c) => break c,
                None => panic!("unterminated escape in {data:?}"),
            }
        };
        match (end, params.as_str()) {
            ('m', _) => {}
            ('H', "") => (row, col) = (0, 0),
            ('J', "2") => screen = blank.clone(),
            ('H', p) => {
                let (r, c) = p.split_once(';').expect("row;col");
                row = r.parse::<usize>().expect("row") - 1;
                col = c.parse::<usize>().expect("col") - 1;
            }
            other => panic!("unexpected escape {other:?}"),
        }
    }
    screen
        .into_iter()
        .map(|r| r.into_iter().collect())
        .collect()
}

#[test]
fn a_cast_is_asciicast_v2_of_the_whole_recording() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cast = dir.path().join("out.cast");
    let out = ok(&[
        "render",
        s(recording()),
        "--cast",
        s(&cast),
        "--size",
        "100x30",
        "--fps",
        "4",
    ]);
    let text = std::fs::read_to_string(&cast).expect("cast written");
    let mut lines = text.lines();
    let header: Value = serde_json::from_str(lines.next().expect("header")).expect("JSON");
    assert_eq!(header["version"], 2);
    assert_eq!(header["width"], 100);
    assert_eq!(header["height"], 30);
    assert!(header["timestamp"].as_u64() > Some(1_600_000_000));
    assert_eq!(header["env"]["TERM"], "xterm-256color");
    assert!(header["title"]
        .as_str()
        .is_some_and(|t| t.contains("semaphore")));

    let mut last_time = 0.0;
    let mut screens = Vec::new();
    for line in lines {
        let event: Value = serde_json::from_str(line).expect("each event is JSON");
        let event = event.as_array().expect("an array");
        assert_eq!(event.len(), 3, "{line}");
        let time = event[0].as_f64().expect("time is a number");
        assert!(
            time >= last_time,
            "time goes back: {time} after {last_time}"
        );
        last_time = time;
        assert_eq!(event[1], "o", "{line}");
        let data = event[2].as_str().expect("data is a string");
        screens.push(play(data, 100, 30).join("\n"));
    }
    // Two seconds at 4 fps: the screen changes at most at each tick.
    assert!(
        (2..=10).contains(&screens.len()),
        "{} frames",
        screens.len()
    );
    assert!((1.5..=2.5).contains(&last_time), "ends at {last_time}");
    assert!(screens.windows(2).all(|w| w[0] != w[1]), "a frame repeats");
    let last = screens.last().expect("a frame");
    assert!(has_table_header(last), "{last}");
    assert!(last.contains("demo semaphore (broken)"), "{last}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{} frames", screens.len())), "{err}");
}

/// The SGR parameters of every escape sequence in `data`.
fn sgr_params(data: &str) -> Vec<String> {
    data.split('\x1b')
        .filter_map(|seq| seq.strip_prefix('['))
        .filter_map(|seq| seq.split_once('m').map(|(p, _)| p.to_owned()))
        .filter(|p| p.chars().all(|c| c.is_ascii_digit() || c == ';'))
        .collect()
}

/// Whether an SGR parameter list sets a colour (30-49, 90-107).
fn sets_colour(params: &str) -> bool {
    params
        .split(';')
        .filter_map(|p| p.parse::<u32>().ok())
        .any(|p| (30..=49).contains(&p) || (90..=107).contains(&p))
}

#[test]
fn the_ascii_and_no_colour_choices_reach_the_cast() {
    let data = |args: &[&str], no_color_env: bool| {
        let mut cmd = command();
        cmd.args(["render", s(recording()), "--cast", "-", "--fps", "2"]);
        cmd.args(args).env_remove("NO_COLOR");
        if no_color_env {
            cmd.env("NO_COLOR", "1");
        }
        let out = cmd.output().expect("run taskscope");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let cast = String::from_utf8(out.stdout).expect("utf-8");
        cast.lines()
            .skip(1)
            .map(|l| {
                let v: Value = serde_json::from_str(l).expect("JSON");
                v[2].as_str().expect("data").to_owned()
            })
            .collect::<String>()
    };
    let colour = data(&[], false);
    assert!(sgr_params(&colour).iter().any(|p| sets_colour(p)));
    assert!(!colour.is_ascii(), "Unicode glyphs by default");
    for plain in [
        data(&["--no-color", "--ascii"], false),
        data(&["--ascii"], true),
    ] {
        let params = sgr_params(&plain);
        assert!(!params.is_empty(), "bold and reverse stay");
        assert!(!params.iter().any(|p| sets_colour(p)), "{params:?}");
        assert!(plain.is_ascii(), "non-ASCII with --ascii");
    }
}

#[test]
fn a_text_frame_is_the_screen_at_full_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let txt = dir.path().join("out.txt");
    ok(&[
        "render",
        s(recording()),
        "--frame-at",
        "1500ms",
        "--txt",
        s(&txt),
    ]);
    let text = std::fs::read_to_string(&txt).expect("text written");
    assert_eq!(text.lines().count(), 36, "{text}");
    for line in text.lines() {
        assert_eq!(line.chars().count(), 120, "{line:?}");
    }
    assert!(has_table_header(&text), "{text}");
    assert!(text.contains("00:01"), "{text}");

    // --ascii draws no Unicode; stdout works as a file.
    let out = ok(&[
        "render",
        s(recording()),
        "--ascii",
        "--size",
        "20x5",
        "--txt",
        "-",
    ]);
    let small = String::from_utf8(out.stdout).expect("utf-8");
    assert!(small.is_ascii(), "{small}");
    assert_eq!(small.lines().count(), 5);
    assert!(small.lines().all(|l| l.chars().count() == 20), "{small}");
}

#[test]
fn an_svg_frame_is_well_formed_xml_with_at_most_a_text_per_cell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let svg = dir.path().join("out.svg");
    ok(&[
        "render",
        s(recording()),
        "--svg",
        s(&svg),
        "--size",
        "80x24",
    ]);
    let xml = std::fs::read_to_string(&svg).expect("svg written");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut texts, mut rects, mut root, mut depth) = (0, 0, None, 0i32);
    let mut content = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Xml::Start(e) => {
                let name = e.name().as_ref().to_owned();
                root.get_or_insert_with(|| name.clone());
                texts += usize::from(name == "text");
                depth += 1;
            }
            Xml::Empty(e) => rects += usize::from(e.name().as_ref() == "rect"),
            Xml::End(_) => depth -= 1,
            Xml::Text(t) => content.push_str(&t),
            // Only the entities XML itself defines.
            Xml::GeneralRef(r) => {
                assert!(
                    ["amp", "lt", "gt", "quot", "apos"].contains(&&*r),
                    "&{}; in SVG",
                    &*r
                );
            }
            Xml::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    assert_eq!(root.as_deref(), Some("svg"));
    assert!((1..=80 * 24).contains(&texts), "{texts} texts");
    assert!(rects >= 1);
    assert!(
        content.contains("Location") && content.contains("semaphore"),
        "{content}"
    );
    // The colours of the cells are there: the title's cyan, the dim borders.
    assert!(xml.contains("#11a8cd") && xml.contains("#7f7f7f"), "{xml}");

    let plain = ok(&["render", s(recording()), "--svg", "-", "--no-color"]);
    let plain = String::from_utf8(plain.stdout).expect("utf-8");
    assert!(
        !plain.contains("#11a8cd") && !plain.contains("#7f7f7f"),
        "{plain}"
    );
}

#[test]
fn a_frame_past_the_end_is_the_end_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (past, end) = (dir.path().join("past.txt"), dir.path().join("end.txt"));
    let out = ok(&[
        "render",
        s(recording()),
        "--frame-at",
        "1h",
        "--txt",
        s(&past),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("past the end") && err.contains("1h"), "{err}");
    ok(&[
        "render",
        s(recording()),
        "--frame-at",
        "end",
        "--txt",
        s(&end),
    ]);
    let read = |p: &Path| std::fs::read_to_string(p).expect("written");
    assert_eq!(read(&past), read(&end));
}

#[test]
fn bad_sizes_rates_times_and_flags_are_one_line_and_exit_code_2() {
    let rec = s(recording());
    for (size, problem) in [
        ("120", "not WIDTHxHEIGHT"),
        ("ax36", "not WIDTHxHEIGHT"),
        ("19x36", "outside 20x5 to 500x200"),
        ("120x4", "outside 20x5 to 500x200"),
        ("501x36", "outside 20x5 to 500x200"),
        ("120x201", "outside 20x5 to 500x200"),
    ] {
        bad_input(&["render", rec, "--txt", "-", "--size", size], problem);
    }
    bad_input(&["render", rec, "--cast", "-", "--fps", "0"], "--fps '0'");
    bad_input(&["render", rec, "--cast", "-", "--fps", "2.5"], "--fps");
    bad_input(
        &["render", rec, "--txt", "-", "--frame-at", "soon"],
        "--frame-at 'soon'",
    );
    bad_input(&["render", rec], "nothing to render");
    bad_input(
        &["render", rec, "--cast", "-", "--frame-at", "1s"],
        "--frame-at",
    );
    bad_input(
        &["render", rec, "--txt", "/no/such/dir/out.txt"],
        "cannot write /no/such/dir/out.txt",
    );
}

#[test]
fn unreadable_and_empty_recordings_are_one_line_and_exit_code_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = std::fs::read(recording()).expect("read");
    let garbage = dir.path().join("garbage.tsrec");
    std::fs::write(&garbage, b"not a recording at all").expect("write");
    let torn = dir.path().join("torn.tsrec");
    std::fs::write(&torn, &good[..12]).expect("write");
    let missing = dir.path().join("missing.tsrec");
    // A header and no frame: the recorder died at once.
    let empty = dir.path().join("empty.tsrec");
    let header_len = 10 + 9 + u32::from_le_bytes([good[11], good[12], good[13], good[14]]) as usize;
    std::fs::write(&empty, &good[..header_len]).expect("write");
    for (path, problem) in [
        (&garbage, "not a taskscope recording"),
        (&empty, "has no frames to render"),
        (&torn, "ends inside its header"),
        (&missing, "No such file"),
    ] {
        bad_input(&["render", s(path), "--cast", "-"], problem);
        bad_input(&["render", s(path), "--txt", "-"], problem);
    }
}

#[test]
fn a_rendered_frame_shows_the_warnings_the_report_finds() {
    let out = ok(&["render", s(recording()), "--txt", "-"]);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let state_line = text.lines().nth(1).unwrap_or_default();
    let shown: usize = state_line
        .split('⚠')
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no warning count in {state_line:?}"));
    let report = ok(&["replay", s(recording()), "--headless", "--report", "-"]);
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).expect("JSON report");
    let found = report["warnings"].as_array().map_or(0, Vec::len);
    assert!(found > 0, "the broken semaphore warns: {report}");
    assert_eq!(shown, found, "{text}");
    assert!(text.contains("⚠ contention"), "{text}");
}
