//! Replay keys and config key overrides through the real path: terminal
//! event -> Action (with the app's keymap) -> update -> the command the
//! source receives, or the screen.

#[path = "support/fixture.rs"]
mod fixture;

use ratatui::crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use taskscope::app::keymap::Key;
use taskscope::app::{update, Action, AppState};
use taskscope::config::KeyOverrides;
use taskscope::feed::{Command, Event, ReplayStatus, SeekTarget, SourceInfo};
use taskscope::ui::{buffer_to_text, render_to_buffer, Column, Theme};
use tokio::sync::mpsc;

const S: i64 = 1_000_000_000;

fn key(code: KeyCode, modifiers: KeyModifiers) -> TermEvent {
    TermEvent::Key(KeyEvent::new(code, modifiers))
}

fn plain(code: KeyCode) -> TermEvent {
    key(code, KeyModifiers::NONE)
}

fn status(speed_percent: u16) -> Event {
    Event::ReplayPosition(ReplayStatus {
        at: 3 * fixture::S,
        length: 30 * fixture::S,
        paused: false,
        speed_percent,
    })
}

/// An app over a replay of the fixture session at `speed_percent`.
fn replay_app(speed_percent: u16) -> (AppState, mpsc::UnboundedReceiver<Command>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut state = AppState::new(fixture::model(), tx);
    state.ingest(&[status(speed_percent)]);
    (state, rx)
}

fn press(state: &mut AppState, event: &TermEvent) -> Action {
    let action = state.action_for(event).expect("bound key");
    update(state, action);
    action
}

fn sent(rx: &mut mpsc::UnboundedReceiver<Command>) -> Vec<Command> {
    std::iter::from_fn(|| rx.try_recv().ok()).collect()
}

fn screen(state: &mut AppState) -> String {
    state.prepare_frame();
    let theme = Theme::new(false, true);
    buffer_to_text(&render_to_buffer(
        state.shown(),
        &state.view,
        &theme,
        80,
        24,
    ))
}

#[test]
fn each_replay_key_sends_its_command() {
    let shift = KeyModifiers::SHIFT;
    let cases = [
        (plain(KeyCode::Char(' ')), Command::Pause),
        (plain(KeyCode::Char('.')), Command::Step),
        (
            plain(KeyCode::Left),
            Command::Seek {
                to: SeekTarget::By(-S),
            },
        ),
        (
            plain(KeyCode::Right),
            Command::Seek {
                to: SeekTarget::By(S),
            },
        ),
        (
            key(KeyCode::Left, shift),
            Command::Seek {
                to: SeekTarget::By(-10 * S),
            },
        ),
        (
            key(KeyCode::Right, shift),
            Command::Seek {
                to: SeekTarget::By(10 * S),
            },
        ),
        (
            plain(KeyCode::Home),
            Command::Seek {
                to: SeekTarget::At(0),
            },
        ),
        (
            plain(KeyCode::End),
            Command::Seek {
                to: SeekTarget::At(u64::MAX),
            },
        ),
        (
            key(KeyCode::Char('>'), shift),
            Command::SetSpeed { percent: 200 },
        ),
        (
            plain(KeyCode::Char(']')),
            Command::SetSpeed { percent: 200 },
        ),
        (
            key(KeyCode::Char('<'), shift),
            Command::SetSpeed { percent: 50 },
        ),
        (plain(KeyCode::Char('[')), Command::SetSpeed { percent: 50 }),
    ];
    for (event, want) in cases {
        let (mut state, mut rx) = replay_app(100);
        let sort = state.view.sort;
        let action = press(&mut state, &event);
        assert_eq!(sent(&mut rx), [want], "{event:?} -> {action:?}");
        assert!(
            !state.view.paused,
            "space must not freeze a replay's display"
        );
        assert_eq!(state.view.sort, sort, "{event:?} changed the sort");
    }
}

#[test]
fn speed_climbs_the_ladder_with_quick_presses_and_stops_at_its_ends() {
    let (mut state, mut rx) = replay_app(100);
    for _ in 0..6 {
        press(&mut state, &plain(KeyCode::Char(']')));
    }
    let percents: Vec<Command> = sent(&mut rx);
    let want: Vec<Command> = [200, 400, 800, 1600, 1600, 1600]
        .into_iter()
        .map(|percent| Command::SetSpeed { percent })
        .collect();
    assert_eq!(percents, want);
    for _ in 0..8 {
        press(&mut state, &plain(KeyCode::Char('[')));
    }
    assert_eq!(
        sent(&mut rx).last(),
        Some(&Command::SetSpeed { percent: 25 })
    );
}

#[test]
fn over_a_replay_s_sorts_and_over_a_live_source_arrows_still_do() {
    let (mut state, _rx) = replay_app(100);
    assert_eq!(state.view.sort.column, Column::Busy);
    press(&mut state, &plain(KeyCode::Char('s')));
    assert_eq!(state.view.sort.column, Column::Sched);
    press(&mut state, &key(KeyCode::Char('S'), KeyModifiers::SHIFT));
    assert_eq!(state.view.sort.column, Column::Busy);

    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut live = AppState::new(fixture::model(), tx);
    assert_eq!(press(&mut live, &plain(KeyCode::Left)), Action::SortPrev);
    assert_eq!(live.view.sort.column, Column::Total);
    // Space freezes a live display and sends nothing.
    press(&mut live, &plain(KeyCode::Char(' ')));
    assert!(live.view.paused);
    assert_eq!(sent(&mut rx), []);
    // Replay-only keys mean nothing over a live source.
    assert_eq!(live.action_for(&plain(KeyCode::Char('.'))), None);
    assert_eq!(
        live.action_for(&plain(KeyCode::Home)),
        Some(Action::SelectFirst)
    );
}

#[test]
fn the_replay_footer_and_help_show_the_replay_keys() {
    let (mut state, _rx) = replay_app(100);
    let text = screen(&mut state);
    let footer = text.lines().nth(23).unwrap_or_default();
    assert!(
        footer.starts_with(" space pause  . step  ←/→ seek  </> speed"),
        "{footer}"
    );
    assert!(
        text.lines()
            .nth(1)
            .unwrap_or_default()
            .contains("00:03 / 00:30"),
        "{text}"
    );
    press(&mut state, &plain(KeyCode::Char('?')));
    // At 80x24 the help scrolls: read it all, as a user scrolling down would.
    let mut help = screen(&mut state);
    for _ in 0..40 {
        press(&mut state, &plain(KeyCode::Down));
        help.push_str(&screen(&mut state));
    }
    for line in [
        "Shift-←   replay: back 10 s",
        "S         sort by the column",
    ] {
        assert!(help.contains(line), "{line:?} missing:\n{help}");
    }
    assert!(help.contains("pause or resume the replay"), "{help}");
    assert!(!help.contains("pause or resume the display"), "{help}");
}

#[test]
fn a_quit_override_quits_on_its_key_and_the_footer_says_so() {
    let mut table = std::collections::BTreeMap::new();
    table.insert(
        "quit".to_owned(),
        taskscope::config::KeySpec::One("x".to_owned()),
    );
    let overrides = KeyOverrides::parse(&table).expect("valid override");
    assert_eq!(overrides.bindings, [(Action::Quit, vec![Key::Char('x')])]);
    for speed in [None, Some(100)] {
        let (tx, _rx) = mpsc::unbounded_channel();
        let mut state = AppState::new(fixture::model(), tx);
        if let Some(speed) = speed {
            state.ingest(&[status(speed)]);
        }
        state.view.keymap = overrides.keymap();
        let text = screen(&mut state);
        let footer = text.lines().nth(23).unwrap_or_default();
        assert!(footer.ends_with("x quit"), "{footer}");
        assert!(!footer.contains("q quit"), "{footer}");
        assert_eq!(state.action_for(&plain(KeyCode::Char('q'))), None);
        press(&mut state, &plain(KeyCode::Char('x')));
        assert!(state.should_quit());
    }
}

#[test]
fn a_new_replay_session_keeps_the_replay_keys() {
    // Seeking back restarts the session; the keys must stay replay keys.
    let (mut state, mut rx) = replay_app(100);
    state.ingest(&[
        Event::SessionStarted {
            source: SourceInfo::default(),
            at: 0,
        },
        status(100),
    ]);
    press(&mut state, &plain(KeyCode::Left));
    assert_eq!(
        sent(&mut rx),
        [Command::Seek {
            to: SeekTarget::By(-S)
        }]
    );
}

/// The footer's last line at a width where every hint fits.
fn wide_footer(state: &mut AppState) -> String {
    state.prepare_frame();
    let theme = Theme::new(false, true);
    let text = buffer_to_text(&render_to_buffer(
        state.shown(),
        &state.view,
        &theme,
        200,
        40,
    ));
    text.lines().last().unwrap_or_default().to_owned()
}

#[test]
fn variant_and_knob_hints_show_only_over_a_live_demo() {
    let (tx, _rx) = mpsc::unbounded_channel();
    let mut live = AppState::new(fixture::model(), tx);
    let footer = wide_footer(&mut live);
    assert!(
        footer.contains("f fixed") && footer.contains("knob"),
        "{footer}"
    );
    let (mut replay, _rx) = replay_app(100);
    let footer = wide_footer(&mut replay);
    assert!(
        !footer.contains("fixed") && !footer.contains("knob"),
        "{footer}"
    );
    assert!(footer.contains("seek"), "{footer}");
}
