//! Keys through the real path: terminal event -> Action -> update ->
//! render, and the event loop over `TestBackend`.

#[path = "support/fixture.rs"]
mod fixture;

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind,
};
use ratatui::Terminal;
use taskscope::app::{action_for, run_loop, update, Action, AppState};
use taskscope::feed::{Batch, Command, Event};
use taskscope::ui::{buffer_to_text, render_to_buffer, Column, Theme};
use tokio::sync::mpsc;

fn key(code: KeyCode) -> TermEvent {
    TermEvent::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> TermEvent {
    key(KeyCode::Char(c))
}

fn app() -> (AppState, mpsc::UnboundedReceiver<Command>) {
    let (tx, rx) = mpsc::unbounded_channel();
    (AppState::new(fixture::model(), tx), rx)
}

fn press(state: &mut AppState, event: &TermEvent) {
    let action = action_for(event).expect("bound key");
    update(state, action);
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

/// The ID column of the table, top to bottom.
fn row_ids(text: &str) -> Vec<u64> {
    text.lines()
        .filter_map(|l| l.strip_prefix('│'))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect()
}

#[test]
fn arrows_choose_the_sort_column_and_i_inverts_it() {
    let (mut state, _rx) = app();
    assert_eq!(row_ids(&screen(&mut state)), [2, 5, 7, 6, 4, 1, 3]);

    // Busy -> Total -> Parent -> Location -> State -> ID.
    for _ in 0..5 {
        press(&mut state, &key(KeyCode::Left));
    }
    assert_eq!(state.view.sort.column, Column::Id);
    let text = screen(&mut state);
    assert!(text.contains("ID▲"), "{text}");
    assert_eq!(row_ids(&text), [1, 2, 3, 4, 5, 6, 7]);

    press(&mut state, &ch('i'));
    assert_eq!(row_ids(&screen(&mut state)), [7, 6, 5, 4, 3, 2, 1]);

    // Wraps around to the last column: polls, most first, ties by id.
    press(&mut state, &key(KeyCode::Left));
    let text = screen(&mut state);
    assert!(text.contains("Polls▼"), "{text}");
    assert_eq!(row_ids(&text), [4, 1, 2, 5, 6, 7, 3]);
}

#[test]
fn the_order_is_sorted_again_only_when_model_or_sort_change() {
    let (mut state, _rx) = app();
    state.prepare_frame();
    state.prepare_frame();
    assert_eq!(state.view.order.sorts(), 1);
    state.ingest(&[Event::Tick {
        at: fixture::S * 50,
    }]);
    state.prepare_frame();
    assert_eq!(state.view.order.sorts(), 2);
    press(&mut state, &ch('i'));
    state.prepare_frame();
    state.prepare_frame();
    assert_eq!(state.view.order.sorts(), 3);
}

#[test]
fn selection_moves_and_follows_its_task() {
    let (mut state, _rx) = app();
    press(&mut state, &ch('j'));
    assert_eq!(state.view.selected, Some(2));
    press(&mut state, &key(KeyCode::Down));
    press(&mut state, &key(KeyCode::Down));
    assert_eq!(state.view.selected, Some(7));
    press(&mut state, &ch('k'));
    assert_eq!(state.view.selected, Some(5));
    press(&mut state, &key(KeyCode::End));
    assert_eq!(state.view.selected, Some(3));
    press(&mut state, &ch('j'));
    assert_eq!(state.view.selected, Some(3), "stays on the last row");
    // Re-sorting keeps the same task selected.
    press(&mut state, &ch('i'));
    assert_eq!(state.view.selected, Some(3));
}

#[test]
fn question_mark_shows_the_help_and_esc_hides_it() {
    let (mut state, _rx) = app();
    assert!(!screen(&mut state).contains("invert the sort order"));
    press(&mut state, &ch('?'));
    assert!(screen(&mut state).contains("invert the sort order"));
    press(&mut state, &key(KeyCode::Esc));
    assert!(!screen(&mut state).contains("invert the sort order"));
    press(&mut state, &ch('?'));
    press(&mut state, &ch('?'));
    assert!(!screen(&mut state).contains("invert the sort order"));
}

#[test]
fn demo_keys_send_commands_to_the_source() {
    let (mut state, mut rx) = app();
    press(&mut state, &ch('f'));
    press(&mut state, &ch('+'));
    press(&mut state, &ch('-'));
    assert_eq!(rx.try_recv(), Ok(Command::ToggleFixed));
    assert_eq!(rx.try_recv(), Ok(Command::NudgeMainKnob { steps: 1 }));
    assert_eq!(rx.try_recv(), Ok(Command::NudgeMainKnob { steps: -1 }));
    assert!(rx.try_recv().is_err());
}

#[test]
fn a_gone_source_does_not_break_the_keys() {
    let (mut state, rx) = app();
    drop(rx);
    press(&mut state, &ch('f'));
    press(&mut state, &ch('q'));
    assert!(state.should_quit());
}

#[test]
fn q_and_ctrl_c_quit() {
    for event in [
        ch('q'),
        TermEvent::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    ] {
        let (mut state, _rx) = app();
        press(&mut state, &event);
        assert!(state.should_quit(), "{event:?}");
    }
    // Plain `c` is not Ctrl-C.
    assert_eq!(action_for(&ch('c')), None);
}

#[test]
fn only_key_presses_act_and_other_events_are_ignored() {
    let release = KeyEvent::new_with_kind(
        KeyCode::Char('q'),
        KeyModifiers::NONE,
        KeyEventKind::Release,
    );
    assert_eq!(action_for(&TermEvent::Key(release)), None);
    let mouse = TermEvent::Mouse(MouseEvent {
        kind: MouseEventKind::Moved,
        column: 3,
        row: 4,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(action_for(&mouse), None);
    assert_eq!(action_for(&TermEvent::Paste("q".into())), None);
    assert_eq!(action_for(&TermEvent::FocusLost), None);
    assert_eq!(action_for(&key(KeyCode::F(5))), None);
    assert_eq!(action_for(&TermEvent::Resize(80, 24)), Some(Action::Redraw));
}

fn new_task(id: u64, at: u64) -> Event {
    Event::TaskSpawned {
        id,
        parent: None,
        location: Arc::from("late.rs:1:1"),
        name: None,
        at,
    }
}

#[test]
fn pausing_freezes_the_display_while_the_model_keeps_ingesting() {
    let (mut state, _rx) = app();
    press(&mut state, &ch(' '));
    let frozen = screen(&mut state);
    assert!(frozen.contains("PAUSED"), "{frozen}");

    state.ingest(&[new_task(99, 43 * fixture::S)]);
    assert!(state.live().task(99).is_some(), "the model still ingests");
    assert_eq!(screen(&mut state), frozen);

    // Keys still work on the frozen rows.
    press(&mut state, &ch('j'));
    assert_eq!(state.view.selected, Some(2));

    press(&mut state, &ch(' '));
    let live = screen(&mut state);
    assert!(!live.contains("PAUSED"), "{live}");
    assert!(row_ids(&live).contains(&99), "{live}");
}

/// Terminal input the test controls, like crossterm's `EventStream`.
fn input() -> (
    mpsc::UnboundedSender<TermEvent>,
    impl futures_util::Stream<Item = std::io::Result<TermEvent>> + Unpin,
) {
    let (tx, rx) = mpsc::unbounded_channel::<TermEvent>();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        let event = rx.recv().await?;
        Some((Ok(event), rx))
    });
    (tx, Box::pin(stream))
}

#[tokio::test]
async fn the_loop_draws_batches_says_ended_and_stops_on_q() {
    let (mut state, _commands) = {
        let (tx, rx) = mpsc::unbounded_channel();
        (AppState::new(fixture::empty_model(), tx), rx)
    };
    let (batch_tx, mut batches) = mpsc::channel::<Batch>(8);
    let (keys, mut input) = input();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    let theme = Theme::new(false, true);

    let driver = async {
        batch_tx
            .send(fixture::events())
            .await
            .expect("loop listens");
        drop(batch_tx);
        tokio::time::sleep(Duration::from_millis(300)).await;
        keys.send(ch('q')).expect("loop listens");
    };
    let looped = async {
        tokio::time::timeout(
            Duration::from_secs(5),
            run_loop(&mut terminal, &mut state, &mut input, &mut batches, &theme),
        )
        .await
    };
    let ((), result) = tokio::join!(driver, looped);
    result.expect("q ends the loop").expect("no error");

    assert!(state.should_quit());
    let text = buffer_to_text(terminal.backend().buffer());
    assert!(text.contains("ended"), "{text}");
    assert!(text.contains("demo gather (broken)"), "{text}");
    assert_eq!(row_ids(&text), [2, 5, 7, 6, 4, 1, 3], "{text}");
}

#[tokio::test]
async fn the_loop_ends_when_the_input_ends() {
    let (mut state, _rx) = app();
    let (_batch_tx, mut batches) = mpsc::channel::<Batch>(1);
    let mut input = futures_util::stream::iter([Ok(ch('j'))]);
    let mut terminal = Terminal::new(TestBackend::new(40, 10)).expect("test backend");
    let ended = tokio::time::timeout(
        Duration::from_secs(5),
        run_loop(
            &mut terminal,
            &mut state,
            &mut input,
            &mut batches,
            &Theme::new(true, false),
        ),
    )
    .await;
    ended.expect("returns").expect("no error");
    assert_eq!(state.view.selected, Some(2));
    let _ = input.next().await;
}
