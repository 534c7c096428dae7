//! Whole-screen snapshots over a fixed synthetic model, and rendering at
//! sizes where nothing fits.

#[path = "support/fixture.rs"]
mod fixture;

use ratatui::style::Color;
use taskscope::app::keymap::KEYMAP;
use taskscope::model::Model;
use taskscope::ui::{buffer_to_text, render_to_buffer, Tab, Theme, ViewState};

fn screen(theme: &Theme, width: u16, height: u16) -> String {
    let model = fixture::model();
    let view = ViewState::default();
    buffer_to_text(&render_to_buffer(&model, &view, theme, width, height))
}

#[test]
fn tasks_view_80x24() {
    insta::assert_snapshot!(screen(&Theme::new(false, true), 80, 24));
}

#[test]
fn tasks_view_120x40_with_side_column() {
    insta::assert_snapshot!(screen(&Theme::new(false, true), 120, 40));
}

#[test]
fn tasks_view_80x24_ascii_no_color() {
    let text = screen(&Theme::new(true, false), 80, 24);
    assert!(text.is_ascii(), "non-ASCII in:\n{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn no_color_theme_draws_no_colour_and_the_colour_theme_does() {
    let model = fixture::model();
    let view = ViewState::default();
    let plain = render_to_buffer(&model, &view, &Theme::new(false, false), 120, 40);
    let coloured = plain
        .content()
        .iter()
        .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
        .count();
    assert_eq!(coloured, 0);
    let colour = render_to_buffer(&model, &view, &Theme::new(false, true), 120, 40);
    assert!(colour.content().iter().any(|c| c.fg != Color::Reset));
}

#[test]
fn help_overlay_lists_every_binding_of_the_keymap() {
    let model = fixture::model();
    let help = |scroll| {
        let view = ViewState {
            help: true,
            help_scroll: scroll,
            ..ViewState::default()
        };
        buffer_to_text(&render_to_buffer(
            &model,
            &view,
            &Theme::new(false, true),
            80,
            24,
        ))
    };
    // More bindings than lines at 80x24: the top, then scrolled to the end.
    let top = help(0);
    let end = help(usize::MAX);
    for binding in KEYMAP {
        assert!(
            top.contains(binding.help) || end.contains(binding.help),
            "{:?} missing:\n{top}\n{end}",
            binding.help
        );
    }
    insta::assert_snapshot!(top);
}

/// Every view the tabs and keys lead to, by name.
fn views() -> Vec<(&'static str, ViewState)> {
    let filtered = {
        let mut v = ViewState::default();
        v.filter.set("idle");
        v
    };
    vec![
        ("tasks", ViewState::default()),
        (
            "runtime",
            ViewState {
                tab: Tab::Runtime,
                ..ViewState::default()
            },
        ),
        (
            "task_detail",
            ViewState {
                detail: vec![8],
                ..ViewState::default()
            },
        ),
        (
            "spawn_tree",
            ViewState {
                tree: true,
                ..ViewState::default()
            },
        ),
        ("filtered_table", filtered),
        (
            "demo_picker",
            ViewState {
                tab: Tab::Demos,
                ..ViewState::default()
            },
        ),
    ]
}

fn view_screen(model: &Model, view: &ViewState, theme: &Theme, width: u16, height: u16) -> String {
    buffer_to_text(&render_to_buffer(model, view, theme, width, height))
}

#[test]
fn every_view_at_80x24_and_120x40() {
    let model = fixture::detail_model();
    let theme = Theme::new(false, true);
    for (name, view) in views() {
        for (w, h) in [(80, 24), (120, 40)] {
            insta::assert_snapshot!(
                format!("{name}_{w}x{h}"),
                view_screen(&model, &view, &theme, w, h)
            );
        }
    }
}

#[test]
fn every_view_in_ascii_draws_only_ascii() {
    let model = fixture::detail_model();
    let theme = Theme::new(true, false);
    for (name, view) in views() {
        for (w, h) in [(80, 24), (120, 40)] {
            let text = view_screen(&model, &view, &theme, w, h);
            assert!(text.is_ascii(), "{name} {w}x{h}:\n{text}");
        }
    }
    insta::assert_snapshot!(
        "spawn_tree_80x24_ascii",
        view_screen(&model, &views()[3].1, &theme, 80, 24)
    );
}

#[test]
fn the_side_column_folds_away_at_80_columns_in_every_view() {
    let model = fixture::detail_model();
    let theme = Theme::new(false, true);
    for (name, view) in views() {
        let narrow = view_screen(&model, &view, &theme, 80, 24);
        assert!(!narrow.contains("┌ Warnings"), "{name}:\n{narrow}");
        let wide = view_screen(&model, &view, &theme, 120, 40);
        assert!(wide.contains("┌ Warnings"), "{name}:\n{wide}");
    }
}

#[test]
fn degenerate_sizes_do_not_panic() {
    let model = fixture::detail_model();
    let mut all_views = views();
    all_views.push((
        "help",
        ViewState {
            help: true,
            ..ViewState::default()
        },
    ));
    for (_, view) in all_views {
        for ascii in [false, true] {
            let theme = Theme::new(ascii, !ascii);
            for (w, h) in [
                (0, 0),
                (1, 1),
                (0, 24),
                (80, 0),
                (20, 5),
                (39, 24),
                (40, 8),
                (60, 12),
                (45, 10),
                (110, 8),
                (200, 60),
                (500, 3),
                (3, 300),
            ] {
                let _ = render_to_buffer(&model, &view, &theme, w, h);
            }
        }
    }
    let small = screen(&Theme::new(false, true), 20, 5);
    assert!(small.contains("enlarge"), "{small}");
}

#[test]
fn an_empty_model_renders_a_waiting_screen() {
    let model = taskscope::model::Model::new(taskscope::model::ModelConfig::default());
    let text = buffer_to_text(&render_to_buffer(
        &model,
        &ViewState::default(),
        &Theme::new(false, true),
        80,
        24,
    ));
    assert!(text.contains("waiting for a source"), "{text}");
    assert!(text.contains("no tasks yet"), "{text}");
}
