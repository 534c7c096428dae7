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
use taskscope::app::{action_for, run_loop, update, Action, AppState, InputMode, LoopExit};
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
    let action = action_for(event, state.input_mode()).expect("bound key");
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
    assert_ne!(action_for(&ch('c'), InputMode::Keys), Some(Action::Quit));
}

#[test]
fn only_key_presses_act_and_other_events_are_ignored() {
    let release = KeyEvent::new_with_kind(
        KeyCode::Char('q'),
        KeyModifiers::NONE,
        KeyEventKind::Release,
    );
    assert_eq!(action_for(&TermEvent::Key(release), InputMode::Keys), None);
    let mouse = TermEvent::Mouse(MouseEvent {
        kind: MouseEventKind::Moved,
        column: 3,
        row: 4,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(action_for(&mouse, InputMode::Keys), None);
    assert_eq!(
        action_for(&TermEvent::Paste("q".into()), InputMode::Keys),
        None
    );
    assert_eq!(action_for(&TermEvent::FocusLost, InputMode::Keys), None);
    assert_eq!(action_for(&key(KeyCode::F(5)), InputMode::Keys), None);
    assert_eq!(
        action_for(&TermEvent::Resize(80, 24), InputMode::Keys),
        Some(Action::Redraw)
    );
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

fn ctrl(c: char) -> TermEvent {
    TermEvent::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn typed(state: &mut AppState, text: &str) {
    for c in text.chars() {
        press(state, &ch(c));
    }
}

#[test]
fn tab_keys_switch_the_body_and_the_tasks_come_back() {
    let (mut state, _rx) = app();
    press(&mut state, &ch('u'));
    let text = screen(&mut state);
    assert!(text.contains("Runtime ·"), "{text}");
    assert!(
        text.contains("w0") && text.contains("global queue"),
        "{text}"
    );
    assert!(row_ids(&text).is_empty(), "{text}");
    press(&mut state, &ch('d'));
    let text = screen(&mut state);
    assert!(text.contains("Demos 11"), "{text}");
    assert!(text.contains("semaphore"), "{text}");
    press(&mut state, &ch('t'));
    assert_eq!(row_ids(&screen(&mut state)), [2, 5, 7, 6, 4, 1, 3]);
}

#[test]
fn typing_a_filter_narrows_the_rows_and_esc_clears_it() {
    let (mut state, _rx) = app();
    press(&mut state, &ch('/'));
    assert_eq!(state.input_mode(), InputMode::Text);
    // `t`, `d` and `q` are text now, not tab keys or quit.
    typed(&mut state, "idle");
    let text = screen(&mut state);
    assert!(text.contains("Tasks 3 of 7"), "{text}");
    assert!(text.contains("filter idle_"), "{text}");
    assert_eq!(row_ids(&text), [6, 4, 1]);
    press(&mut state, &key(KeyCode::Backspace));
    press(&mut state, &key(KeyCode::Backspace));
    press(&mut state, &key(KeyCode::Backspace));
    press(&mut state, &key(KeyCode::Backspace));
    typed(&mut state, "re:^fetch|runner");
    assert_eq!(row_ids(&screen(&mut state)), [6, 1]);
    // Enter keeps it and gives the keys back.
    press(&mut state, &key(KeyCode::Enter));
    assert_eq!(state.input_mode(), InputMode::Keys);
    assert_eq!(row_ids(&screen(&mut state)), [6, 1]);
    press(&mut state, &key(KeyCode::Esc));
    let text = screen(&mut state);
    assert!(!text.contains("· filter"), "{text}");
    assert_eq!(row_ids(&text), [2, 5, 7, 6, 4, 1, 3]);
    // Esc while typing clears too; Ctrl-C still quits.
    press(&mut state, &ch('/'));
    typed(&mut state, "q");
    press(&mut state, &key(KeyCode::Esc));
    assert_eq!(row_ids(&screen(&mut state)), [2, 5, 7, 6, 4, 1, 3]);
    assert!(!state.should_quit());
    press(&mut state, &ch('/'));
    press(&mut state, &ctrl('c'));
    assert!(state.should_quit());
}

#[test]
fn the_tree_nests_by_parent_and_folding_hides_children() {
    let (mut state, _rx) = app();
    press(&mut state, &ch('T'));
    let text = screen(&mut state);
    assert!(text.contains("· tree ·"), "{text}");
    // The round (1) first, its fetches under it, in busy order.
    assert_eq!(row_ids(&text), [1, 2, 5, 7, 6, 4, 3]);
    assert!(text.contains("├─gather.rs:55"), "{text}");
    press(&mut state, &ch('g'));
    assert_eq!(state.view.selected, Some(1));
    press(&mut state, &ch('c'));
    let text = screen(&mut state);
    assert_eq!(row_ids(&text), [1], "{text}");
    assert!(text.contains("▸ runner.rs:40"), "{text}");
    press(&mut state, &ch('c'));
    assert_eq!(row_ids(&screen(&mut state)).len(), 7);
    // The filter works in the tree: a child whose parent is filtered out is a root.
    press(&mut state, &ch('/'));
    typed(&mut state, "gather");
    let text = screen(&mut state);
    assert_eq!(row_ids(&text), [2, 5, 7, 6, 4, 3], "{text}");
    assert!(!text.contains("├─"), "{text}");
    // While typing, T is text; after Enter it flattens the tree again.
    press(&mut state, &ch('T'));
    assert!(screen(&mut state).contains("filter gatherT_"));
    press(&mut state, &key(KeyCode::Backspace));
    press(&mut state, &key(KeyCode::Enter));
    press(&mut state, &ch('T'));
    assert!(!screen(&mut state).contains("· tree ·"));
}

#[test]
fn enter_opens_the_selected_tasks_detail_and_follows_links() {
    let (mut state, _rx) = app();
    press(&mut state, &ch('j'));
    press(&mut state, &ch('j'));
    assert_eq!(state.view.selected, Some(5));
    press(&mut state, &key(KeyCode::Enter));
    assert_eq!(state.view.detail, [5]);
    let text = screen(&mut state);
    assert!(text.contains("Task 5 · gather.rs:55"), "{text}");
    assert!(text.contains("demos/src/gather.rs:55:21"), "{text}");
    assert!(text.contains("Poll time"), "{text}");
    // The first link is the parent: Enter jumps to it, Esc comes back.
    press(&mut state, &key(KeyCode::Enter));
    assert_eq!(state.view.detail, [5, 1]);
    let text = screen(&mut state);
    assert!(text.contains("Task 1 · runner.rs:40"), "{text}");
    assert!(text.contains("Children 6"), "{text}");
    // Task 1 has no parent: links are its children; the third is task 4.
    press(&mut state, &ch('j'));
    press(&mut state, &ch('j'));
    press(&mut state, &key(KeyCode::Enter));
    assert_eq!(state.view.detail, [5, 1, 4]);
    press(&mut state, &key(KeyCode::Esc));
    press(&mut state, &key(KeyCode::Esc));
    assert_eq!(state.view.detail, [5]);
    press(&mut state, &key(KeyCode::Esc));
    assert!(state.view.detail.is_empty());
    assert_eq!(row_ids(&screen(&mut state)), [2, 5, 7, 6, 4, 1, 3]);
}

#[test]
fn enter_in_the_picker_switches_the_demo_and_the_header_follows() {
    let (mut state, mut rx) = app();
    press(&mut state, &ch('d'));
    let text = screen(&mut state);
    assert!(
        text.contains("● gather"),
        "the running demo is marked:\n{text}"
    );
    press(&mut state, &ch('j'));
    press(&mut state, &ch('j'));
    press(&mut state, &key(KeyCode::Enter));
    assert_eq!(
        rx.try_recv(),
        Ok(Command::SwitchDemo {
            name: "semaphore".into()
        })
    );
    // The source answers with a new session; the header follows.
    let mut source = fixture::source();
    source.name = "semaphore".into();
    source.knobs = vec![("permits".into(), 8)];
    state.ingest(&[Event::SessionStarted { source, at: 0 }]);
    let text = screen(&mut state);
    assert!(text.contains("demo semaphore (broken)"), "{text}");
    assert!(text.contains("no tasks yet"), "{text}");
    press(&mut state, &ch('f'));
    assert_eq!(rx.try_recv(), Ok(Command::ToggleFixed));
}

fn click(column: u16, row: u16) -> TermEvent {
    TermEvent::Mouse(MouseEvent {
        kind: MouseEventKind::Down(ratatui::crossterm::event::MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

fn wheel(down: bool) -> TermEvent {
    TermEvent::Mouse(MouseEvent {
        kind: if down {
            MouseEventKind::ScrollDown
        } else {
            MouseEventKind::ScrollUp
        },
        column: 10,
        row: 10,
        modifiers: KeyModifiers::NONE,
    })
}

#[test]
fn clicking_a_row_selects_it_and_the_wheel_moves_the_selection() {
    let (mut state, _rx) = app();
    state.view.screen = ratatui::layout::Rect::new(0, 0, 80, 24);
    // Rows start under the header line, border and column titles: y = 4.
    press(&mut state, &click(20, 6));
    assert_eq!(state.view.selected, Some(7));
    press(&mut state, &wheel(true));
    assert_eq!(state.view.selected, Some(6));
    press(&mut state, &wheel(false));
    press(&mut state, &wheel(false));
    assert_eq!(state.view.selected, Some(5));
    // Below the last row, on the border or the header: nothing changes.
    for y in [0, 3, 15, 23] {
        press(&mut state, &click(20, y));
        assert_eq!(state.view.selected, Some(5), "y = {y}");
    }
    // In the picker a click picks a demo.
    press(&mut state, &ch('d'));
    press(&mut state, &click(3, 5));
    assert_eq!(state.view.demo_cursor, 2);
}

#[tokio::test]
async fn ctrl_z_returns_from_the_loop_to_suspend() {
    let (mut state, _rx) = app();
    let (_batch_tx, mut batches) = mpsc::channel::<Batch>(1);
    let mut input = futures_util::stream::iter([Ok(ctrl('z'))]);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    let theme = Theme::new(false, true);
    let exit = tokio::time::timeout(
        Duration::from_secs(5),
        run_loop(&mut terminal, &mut state, &mut input, &mut batches, &theme),
    )
    .await
    .expect("returns")
    .expect("no error");
    assert_eq!(exit, LoopExit::Suspend);
    assert!(!state.should_quit());
}

#[test]
fn the_detail_says_what_a_task_holds_and_waits_on() {
    let (mut state, _rx) = app();
    let at = 42 * fixture::S;
    state.ingest(&[
        Event::ResourceCreated {
            id: 1,
            kind: taskscope::feed::ResourceKind::Semaphore,
            name: Arc::from("permits"),
            capacity: Some(1),
            location: Arc::from("sem.rs:5:9"),
            at,
        },
        Event::ResourceAcquired {
            id: 1,
            task: Some(2),
            amount: 1,
            wait_started: None,
            at,
        },
        Event::ResourceWaiting {
            id: 1,
            task: Some(5),
            at,
        },
    ]);
    // Task 2 is the first row: it holds the permit.
    press(&mut state, &key(KeyCode::Enter));
    let text = screen(&mut state);
    assert!(text.contains("holds 1 of semaphore permits"), "{text}");
    press(&mut state, &key(KeyCode::Esc));
    press(&mut state, &ch('j'));
    press(&mut state, &ch('j'));
    press(&mut state, &key(KeyCode::Enter));
    let text = screen(&mut state);
    assert!(text.contains("waits on semaphore permits"), "{text}");
}
