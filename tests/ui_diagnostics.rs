//! The diagnostics views (warnings, resources, a resource's detail,
//! metrics) over a fixed synthetic session with warnings in it, and the
//! keys that move between them and the tasks.

#[path = "support/fixture.rs"]
mod fixture;

use std::sync::Arc;

use ratatui::crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use taskscope::app::{action_for, update, AppState};
use taskscope::feed::ResourceKind;
use taskscope::lints::{LintConfig, Warning};
use taskscope::model::Model;
use taskscope::ui::resource_table::ResourceKey;
use taskscope::ui::{buffer_to_text, render_to_buffer_with_warnings, Tab, Theme, ViewState};

fn warnings(model: &Model) -> Vec<Warning> {
    LintConfig::default().check(model)
}

fn ledger() -> ResourceKey {
    ResourceKey {
        kind: ResourceKind::Mutex,
        name: Arc::from("ledger"),
    }
}

/// Every diagnostics view by name.
fn views() -> Vec<(&'static str, ViewState)> {
    let tab = |tab| ViewState {
        tab,
        ..ViewState::default()
    };
    let mut detail = tab(Tab::Resources);
    detail.resources.detail = Some(ledger());
    detail.resources.link = 1;
    let mut second_warning = tab(Tab::Warnings);
    second_warning.warning_cursor = 1;
    vec![
        ("warnings", tab(Tab::Warnings)),
        ("warnings_second_selected", second_warning),
        ("resources", tab(Tab::Resources)),
        ("resource_detail", detail),
        ("metrics", tab(Tab::Metrics)),
    ]
}

fn screen(model: &Model, view: &ViewState, theme: &Theme, width: u16, height: u16) -> String {
    let found = warnings(model);
    buffer_to_text(&render_to_buffer_with_warnings(
        model, view, &found, theme, width, height,
    ))
}

#[test]
fn the_fixture_has_warnings_of_three_lints() {
    let found = warnings(&fixture::diagnostics_model());
    let lints: Vec<&str> = found.iter().map(|w| w.lint).collect();
    for lint in ["leaked-task", "blocking-poll", "contention"] {
        assert!(lints.contains(&lint), "{lints:?}");
    }
}

#[test]
fn diagnostics_views_at_80x24_and_120x40() {
    let model = fixture::diagnostics_model();
    let theme = Theme::new(false, true);
    for (name, view) in views() {
        for (w, h) in [(80, 24), (120, 40)] {
            insta::assert_snapshot!(
                format!("{name}_{w}x{h}"),
                screen(&model, &view, &theme, w, h)
            );
        }
    }
}

#[test]
fn diagnostics_views_in_ascii_draw_only_ascii() {
    let model = fixture::diagnostics_model();
    let theme = Theme::new(true, false);
    for (name, view) in views() {
        for (w, h) in [(80, 24), (120, 40)] {
            let text = screen(&model, &view, &theme, w, h);
            assert!(text.is_ascii(), "{name} {w}x{h}:\n{text}");
        }
    }
    insta::assert_snapshot!(
        "resources_80x24_ascii",
        screen(&model, &views()[2].1, &theme, 80, 24)
    );
}

#[test]
fn diagnostics_views_without_colour_draw_none() {
    let model = fixture::diagnostics_model();
    let found = warnings(&model);
    let theme = Theme::new(false, false);
    for (name, view) in views() {
        let buf = render_to_buffer_with_warnings(&model, &view, &found, &theme, 120, 40);
        let coloured = buf
            .content()
            .iter()
            .filter(|c| {
                c.fg != ratatui::style::Color::Reset || c.bg != ratatui::style::Color::Reset
            })
            .count();
        assert_eq!(coloured, 0, "{name}");
    }
}

#[test]
fn diagnostics_views_survive_degenerate_sizes() {
    let model = fixture::diagnostics_model();
    let empty = fixture::empty_model();
    for (_, view) in views() {
        for ascii in [false, true] {
            let theme = Theme::new(ascii, !ascii);
            for (w, h) in [
                (0, 0),
                (1, 1),
                (20, 5),
                (40, 8),
                (41, 9),
                (60, 12),
                (110, 8),
                (500, 3),
                (3, 300),
            ] {
                let _ = screen(&model, &view, &theme, w, h);
                let _ = screen(&empty, &view, &theme, w, h);
            }
        }
    }
}

#[test]
fn the_task_detail_lists_the_warnings_that_name_the_task() {
    let model = fixture::diagnostics_model();
    let view = ViewState {
        detail: vec![4],
        ..ViewState::default()
    };
    let text = screen(&model, &view, &Theme::new(false, true), 120, 40);
    insta::assert_snapshot!("task_detail_with_warnings_120x40", text);
    let warnings_part = text.split("Warnings").last().unwrap_or_default();
    assert!(warnings_part.contains("leaked-task"), "{text}");
    assert!(warnings_part.contains("contention"), "{text}");
}

// Keys through the real path: event -> action -> update.

fn key(code: KeyCode) -> TermEvent {
    TermEvent::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> TermEvent {
    key(KeyCode::Char(c))
}

fn app() -> AppState {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    std::mem::forget(rx);
    let mut state = AppState::new(fixture::diagnostics_model(), tx);
    state.prepare_frame();
    state
}

fn press(state: &mut AppState, event: &TermEvent) {
    let action = action_for(event, state.input_mode()).expect("bound key");
    update(state, action);
    state.prepare_frame();
}

fn app_screen(state: &AppState, width: u16, height: u16) -> String {
    buffer_to_text(&render_to_buffer_with_warnings(
        state.shown(),
        &state.view,
        state.warnings(),
        &Theme::new(false, true),
        width,
        height,
    ))
}

#[test]
fn the_app_counts_the_warnings_the_lints_find_on_the_same_model() {
    let state = app();
    let expected = warnings(state.shown()).len();
    assert!(expected > 0);
    assert_eq!(state.warnings().len(), expected);
    let text = app_screen(&state, 120, 40);
    let state_line = text.lines().nth(1).unwrap_or_default();
    assert!(
        state_line.contains(&format!("⚠ {expected} warnings")),
        "{state_line}"
    );
    // The side column lists each one with its lint.
    assert!(text.contains("⚠ leaked-task"), "{text}");
}

#[test]
fn the_configured_lints_are_the_ones_shown() {
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let config = LintConfig::from_args(&[], &["all".into()], &[]).expect("valid");
    let mut state = AppState::new(fixture::diagnostics_model(), tx).with_lints(config);
    state.prepare_frame();
    assert!(state.warnings().is_empty());
    assert!(app_screen(&state, 80, 24).contains("⚠ 0"));
}

#[test]
fn w_r_m_switch_tabs_and_t_comes_back() {
    let mut state = app();
    for (c, tab, title) in [
        ('w', Tab::Warnings, "Warnings 4"),
        ('r', Tab::Resources, "Resources 2"),
        ('m', Tab::Metrics, "Metrics 3"),
        ('t', Tab::Tasks, "Tasks 10"),
    ] {
        press(&mut state, &ch(c));
        assert_eq!(state.view.tab, tab);
        let text = app_screen(&state, 80, 24);
        assert!(text.contains(title), "{c}: {text}");
    }
}

#[test]
fn enter_on_a_leak_warning_opens_the_first_task_it_names_and_esc_comes_back() {
    let mut state = app();
    press(&mut state, &ch('w'));
    let index = state
        .warnings()
        .iter()
        .position(|w| w.lint == "leaked-task")
        .expect("a leak");
    let first = state.warnings()[index].tasks[0];
    for _ in 0..index {
        press(&mut state, &ch('j'));
    }
    press(&mut state, &key(KeyCode::Enter));
    assert_eq!(state.view.tab, Tab::Tasks);
    assert_eq!(state.view.detail_task(), Some(first));
    let text = app_screen(&state, 80, 24);
    assert!(text.contains(&format!("Task {first} ")), "{text}");
    press(&mut state, &key(KeyCode::Esc));
    assert_eq!(state.view.tab, Tab::Warnings);
    assert!(state.view.detail.is_empty());
}

#[test]
fn enter_on_a_contention_warning_opens_the_resource() {
    let mut state = app();
    press(&mut state, &ch('w'));
    let index = state
        .warnings()
        .iter()
        .position(|w| w.lint == "contention")
        .expect("contention");
    for _ in 0..index {
        press(&mut state, &key(KeyCode::Down));
    }
    press(&mut state, &key(KeyCode::Enter));
    assert_eq!(state.view.tab, Tab::Resources);
    assert_eq!(state.view.resources.detail, Some(ledger()));
}

#[test]
fn enter_on_a_resource_opens_its_detail_and_enter_on_a_holder_opens_the_task() {
    let mut state = app();
    press(&mut state, &ch('r'));
    // Ranked by total wait: the ledger first.
    press(&mut state, &key(KeyCode::Enter));
    assert_eq!(state.view.resources.detail, Some(ledger()));
    let text = app_screen(&state, 80, 24);
    assert!(text.contains("Held by 1"), "{text}");
    assert!(text.contains("Waited on by 2"), "{text}");
    // The holder (task 4) is the first link; the waiters 6 and 8 follow.
    press(&mut state, &key(KeyCode::Enter));
    assert_eq!(state.view.tab, Tab::Tasks);
    assert_eq!(state.view.detail_task(), Some(4));
    press(&mut state, &key(KeyCode::Esc));
    assert_eq!(state.view.tab, Tab::Resources);
    assert_eq!(
        state.view.resources.detail,
        Some(ledger()),
        "back in the detail"
    );
    press(&mut state, &ch('j'));
    press(&mut state, &ch('j'));
    press(&mut state, &key(KeyCode::Enter));
    assert_eq!(state.view.detail_task(), Some(8), "the second waiter");
    press(&mut state, &key(KeyCode::Esc));
    press(&mut state, &key(KeyCode::Esc));
    assert_eq!(state.view.resources.detail, None, "Esc closes the detail");
}

#[test]
fn the_resources_table_sorts_and_filters() {
    let mut state = app();
    press(&mut state, &ch('r'));
    let names = |state: &AppState| -> Vec<String> {
        state
            .view
            .resources
            .rows(state.shown())
            .iter()
            .map(|r| r.key.name.to_string())
            .collect()
    };
    assert_eq!(names(&state), ["ledger", "permits"]);
    // Total wait -> Hold p99 -> Hold p50 -> ... -> In use: the ledger's 1
    // against nothing held of the permits; inverted, permits first.
    for _ in 0..7 {
        press(&mut state, &key(KeyCode::Left));
    }
    let text = app_screen(&state, 80, 24);
    assert!(text.contains("sort in use"), "{text}");
    press(&mut state, &ch('i'));
    assert_eq!(names(&state), ["permits", "ledger"]);
    press(&mut state, &ch('/'));
    for c in "perm".chars() {
        press(&mut state, &ch(c));
    }
    press(&mut state, &key(KeyCode::Enter));
    assert_eq!(names(&state), ["permits"]);
    assert_eq!(
        state.view.tab,
        Tab::Resources,
        "the filter stays on the tab"
    );
    assert!(
        !state.view.filter.is_active(),
        "the tasks' filter is untouched"
    );
    let text = app_screen(&state, 80, 24);
    assert!(text.contains("filter perm"), "{text}");
    press(&mut state, &key(KeyCode::Esc));
    assert_eq!(names(&state).len(), 2);
}

#[test]
fn the_help_scrolls_to_every_binding_at_80x24() {
    let mut state = app();
    state.view.screen = ratatui::layout::Rect::new(0, 0, 80, 24);
    press(&mut state, &ch('?'));
    let mut seen = app_screen(&state, 80, 24);
    for _ in 0..taskscope::app::keymap::KEYMAP.len() {
        press(&mut state, &key(KeyCode::Down));
        seen.push_str(&app_screen(&state, 80, 24));
    }
    for binding in taskscope::app::keymap::KEYMAP {
        assert!(
            seen.contains(binding.help),
            "{:?} never shown",
            binding.help
        );
    }
    assert!(state.view.help_scroll > 0);
    insta::assert_snapshot!("help_scrolled_to_the_end_80x24", app_screen(&state, 80, 24));
}

#[test]
fn the_lints_do_not_run_again_within_half_a_second_however_often_frames_come() {
    let mut state = app();
    assert_eq!(state.lint_checks(), 1);
    for i in 1..=5 {
        state.ingest(&[taskscope::feed::Event::Tick {
            at: 43 * fixture::S + i * fixture::MS,
        }]);
        state.prepare_frame();
    }
    assert_eq!(state.lint_checks(), 1, "the model changed, but too soon");
}
