//! The header over a replay (its progress bar) and over an attached
//! target (the link's state), at 80x24.

#[path = "support/fixture.rs"]
mod fixture;

use taskscope::feed::{ConnectionState, Event, ReplayStatus, SourceInfo};
use taskscope::model::Model;
use taskscope::ui::{buffer_to_text, render_to_buffer, Theme, ViewState};

const TARGET: &str = "http://127.0.0.1:6669";

fn screen(model: &Model, theme: &Theme) -> String {
    let view = ViewState::default();
    buffer_to_text(&render_to_buffer(model, &view, theme, 80, 24))
}

fn replay(at_s: u64, paused: bool, speed_percent: u16) -> Model {
    let mut model = fixture::model();
    model.apply_all(&[Event::ReplayPosition(ReplayStatus {
        at: at_s * fixture::S,
        length: 30 * fixture::S,
        paused,
        speed_percent,
    })]);
    model
}

fn attached(states: &[ConnectionState]) -> Model {
    let mut model = fixture::model();
    model.apply_all(&[Event::SourceUpdated {
        source: SourceInfo {
            kind: "attach".into(),
            name: TARGET.into(),
            engine: "console".into(),
            ..SourceInfo::default()
        },
    }]);
    for state in states {
        model.apply_all(&[Event::Connection {
            target: TARGET.into(),
            state: state.clone(),
        }]);
    }
    model
}

fn lost(retry_in_ms: Option<u64>) -> ConnectionState {
    ConnectionState::Disconnected {
        retry_in_ms,
        reason: "transport error: tcp connect error: Connection refused (os error 111)".into(),
    }
}

#[test]
fn replay_progress_bar_80x24() {
    insta::assert_snapshot!(screen(&replay(12, false, 200), &Theme::new(false, true)));
}

#[test]
fn replay_progress_bar_paused_and_at_the_end_ascii() {
    let theme = Theme::new(true, false);
    let lines: Vec<String> = [replay(12, true, 25), replay(30, false, 1600)]
        .iter()
        .map(|m| {
            screen(m, &theme)
                .lines()
                .take(2)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    let text = lines.join("\n");
    assert!(text.is_ascii(), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn connection_states_in_the_header_80x24() {
    use ConnectionState::{Connected, Connecting};
    let cases: [(&str, Vec<ConnectionState>); 5] = [
        ("connecting", vec![Connecting]),
        ("connected", vec![Connecting, Connected]),
        ("retry wait", vec![Connecting, Connected, lost(Some(1600))]),
        (
            "reconnecting",
            vec![Connecting, Connected, lost(Some(100)), Connecting],
        ),
        ("gave up", vec![Connecting, lost(None)]),
    ];
    let theme = Theme::new(false, true);
    let mut text = String::new();
    for (name, states) in cases {
        let screen = screen(&attached(&states), &theme);
        let header = screen.lines().next().unwrap_or_default();
        text.push_str(&format!("{name:>12} |{header}\n"));
    }
    insta::assert_snapshot!(text);
}

#[test]
fn reconnecting_whole_screen_80x24() {
    use ConnectionState::{Connected, Connecting};
    let model = attached(&[Connecting, Connected, lost(Some(3200))]);
    insta::assert_snapshot!(screen(&model, &Theme::new(false, true)));
}
