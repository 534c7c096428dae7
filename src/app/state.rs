//! The app's state and the one function that changes it.

mod diagnostics_nav;

use std::time::Instant;

use ratatui::crossterm::event::Event as TermEvent;
use tokio::sync::mpsc::UnboundedSender;

use super::keymap::KeyContext;
use super::lint_cache::LintCache;
use super::{action_with, Action, InputMode};
use crate::feed::replay::next_speed;
use crate::feed::{Command, Event, Nanos, SeekTarget};
use crate::lints::{LintConfig, Warning};
use crate::model::Model;
use crate::ui::demo_list::{self, demos};
use crate::ui::hit::{hit, Hit};
use crate::ui::{detail_links, Tab, ViewState};

pub struct AppState {
    /// Always up to date with the feed.
    live: Model,
    /// What the display shows while paused.
    frozen: Option<Model>,
    pub view: ViewState,
    commands: UnboundedSender<Command>,
    quit: bool,
    suspend: bool,
    dirty: bool,
    /// The replay speed last asked for, so quick presses add up before
    /// the source reports it.
    asked_speed: Option<u16>,
    /// The lints' findings for the shown model.
    lints: LintCache,
}

impl AppState {
    #[must_use]
    pub fn new(model: Model, commands: UnboundedSender<Command>) -> Self {
        Self {
            live: model,
            frozen: None,
            view: ViewState::default(),
            commands,
            quit: false,
            suspend: false,
            dirty: true,
            asked_speed: None,
            lints: LintCache::default(),
        }
    }

    /// Runs these lints (default: every lint at its default thresholds).
    #[must_use]
    pub fn with_lints(mut self, config: LintConfig) -> Self {
        self.lints = LintCache::new(config);
        self
    }

    /// What the lints found in the shown model at their last check.
    #[must_use]
    pub fn warnings(&self) -> &[Warning] {
        self.lints.warnings()
    }

    /// How many times the lints ran.
    #[must_use]
    pub fn lint_checks(&self) -> u64 {
        self.lints.checks()
    }

    /// The model the display shows: the frozen one while paused.
    #[must_use]
    pub fn shown(&self) -> &Model {
        self.frozen.as_ref().unwrap_or(&self.live)
    }

    #[must_use]
    pub fn live(&self) -> &Model {
        &self.live
    }

    pub fn ingest(&mut self, batch: &[Event]) {
        self.live.apply_all(batch);
        if batch
            .iter()
            .any(|e| matches!(e, Event::SessionStarted { .. }))
        {
            self.session_changed();
        }
        if !self.view.paused {
            self.dirty = true;
        }
    }

    /// Ids of the old session mean nothing in the new one.
    fn session_changed(&mut self) {
        let view = &mut self.view;
        view.detail.clear();
        view.detail_link = 0;
        view.selected = None;
        view.collapsed = crate::ui::task_order::Collapsed::default();
        self.follow_running_demo();
    }

    /// The picker's cursor starts on the demo that runs.
    fn follow_running_demo(&mut self) {
        if let Some(i) = demo_list::position(&self.live.source().name) {
            self.view.demo_cursor = i;
        }
    }

    /// The action of a terminal event, with this app's keymap, for the
    /// kind of source it watches.
    #[must_use]
    pub fn action_for(&self, event: &TermEvent) -> Option<Action> {
        let context = KeyContext::of(&self.live);
        action_with(event, self.input_mode(), &self.view.keymap, context)
    }

    /// Keys are text while a filter is typed.
    #[must_use]
    pub fn input_mode(&self) -> InputMode {
        if self.view.filter.editing() || self.view.resources.filter.editing() {
            InputMode::Text
        } else {
            InputMode::Keys
        }
    }

    /// Whether the user asked to suspend (Ctrl-Z), clearing the request.
    pub fn take_suspend(&mut self) -> bool {
        std::mem::take(&mut self.suspend)
    }

    /// Something outside changed the screen (a resume): draw it all again.
    pub fn mark_dirty(&mut self) {
        self.dirty = true;
    }

    /// The feed closed: keep showing the last state and say so.
    pub fn source_ended(&mut self) {
        self.view.ended = true;
        self.dirty = true;
    }

    #[must_use]
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Whether a frame is due, clearing the flag. A lint check held back
    /// by its interval makes one due too, so warnings catch up with a model
    /// that stopped changing.
    pub fn take_dirty(&mut self) -> bool {
        let shown = self.frozen.as_ref().unwrap_or(&self.live);
        let lints_due = self.lints.is_due(shown, Instant::now());
        std::mem::take(&mut self.dirty) || lints_due
    }

    /// Work done once per frame, not per draw call: bring the cached row
    /// order up to date with the shown model, and the warnings (at most
    /// twice a second).
    pub fn prepare_frame(&mut self) {
        let shown = self.frozen.as_ref().unwrap_or(&self.live);
        self.view.refresh_order(shown);
        self.lints.refresh(shown, Instant::now());
    }

    /// Asks the source to stop; it may already be gone.
    pub fn stop_source(&self) {
        self.send(Command::Stop);
    }

    fn send(&self, command: Command) {
        // A closed channel means the source ended; the header says so.
        let _ = self.commands.send(command);
    }

    /// Replay keys become commands for the source; over a live source
    /// they do nothing.
    fn drive_replay(&mut self, action: Action) {
        const SECOND: i64 = 1_000_000_000;
        let Some(status) = self.live.replay() else {
            return;
        };
        let seek = |to| Command::Seek { to };
        let command = match action {
            Action::TogglePause => Command::Pause,
            Action::StepFrame => Command::Step,
            Action::SeekBack => seek(SeekTarget::By(-SECOND)),
            Action::SeekForward => seek(SeekTarget::By(SECOND)),
            Action::SeekBackFar => seek(SeekTarget::By(-10 * SECOND)),
            Action::SeekForwardFar => seek(SeekTarget::By(10 * SECOND)),
            Action::SeekStart => seek(SeekTarget::At(0)),
            Action::SeekEnd => seek(SeekTarget::At(Nanos::MAX)),
            Action::SlowDown | Action::SpeedUp => {
                let now = self.asked_speed.unwrap_or(status.speed_percent);
                let percent = next_speed(now, action == Action::SpeedUp);
                self.asked_speed = Some(percent);
                Command::SetSpeed { percent }
            }
            _ => return,
        };
        self.send(command);
    }
}

#[derive(Clone, Copy)]
enum Move {
    Prev,
    Next,
    First,
    Last,
}

impl Move {
    /// The index `self` leads to in a list of `len` items from `current`.
    fn apply(self, current: Option<usize>, len: usize) -> Option<usize> {
        let last = len.checked_sub(1)?;
        Some(match (self, current) {
            (Move::First, _) | (Move::Prev | Move::Next, None) => 0,
            (Move::Last, _) => last,
            (Move::Prev, Some(i)) => i.saturating_sub(1).min(last),
            (Move::Next, Some(i)) => (i + 1).min(last),
        })
    }
}

pub fn update(state: &mut AppState, action: Action) {
    state.dirty = true;
    let view = &mut state.view;
    match action {
        Action::ShowTab(tab) => {
            view.tab = tab;
            view.help = false;
            view.return_tab = None;
        }
        Action::SelectPrev => move_selection(state, Move::Prev),
        Action::SelectNext => move_selection(state, Move::Next),
        Action::SelectFirst => move_selection(state, Move::First),
        Action::SelectLast => move_selection(state, Move::Last),
        Action::SortPrev | Action::SortNext | Action::InvertSort
            if diagnostics_nav::sort(view, action) => {}
        Action::SortPrev | Action::SortNext => {
            let column = if action == Action::SortPrev {
                view.sort.column.prev()
            } else {
                view.sort.column.next()
            };
            view.sort.column = column;
            view.sort.descending = column.descending_by_default();
        }
        Action::InvertSort => view.sort.descending = !view.sort.descending,
        // A replay pauses at its source; a live source cannot, so the
        // display freezes instead.
        Action::TogglePause if state.live.replay().is_some() => state.drive_replay(action),
        Action::TogglePause => {
            view.paused = !view.paused;
            state.frozen = view.paused.then(|| state.live.clone());
        }
        Action::StepFrame
        | Action::SeekBack
        | Action::SeekForward
        | Action::SeekBackFar
        | Action::SeekForwardFar
        | Action::SeekStart
        | Action::SeekEnd
        | Action::SlowDown
        | Action::SpeedUp => state.drive_replay(action),
        Action::ToggleHelp => view.help = !view.help,
        Action::Open => open(state),
        Action::Back => back(view),
        Action::ToggleTree => view.tree = !view.tree,
        Action::ToggleFold => {
            if view.tree && view.tab == Tab::Tasks && view.detail.is_empty() {
                if let Some(id) = view.selected {
                    view.collapsed.toggle(id);
                }
            }
        }
        Action::StartFilter if diagnostics_nav::start_filter(view) => {}
        Action::StartFilter => {
            view.tab = Tab::Tasks;
            view.detail.clear();
            view.help = false;
            view.filter.start_editing();
        }
        Action::FilterInput(c) => view.editing_filter_mut().push(c),
        Action::FilterBackspace => view.editing_filter_mut().pop(),
        Action::FilterDone => view.editing_filter_mut().finish_editing(),
        Action::Click { column, row } => click(state, column, row),
        Action::ToggleFixed => state.send(Command::ToggleFixed),
        Action::KnobUp => state.send(Command::NudgeMainKnob { steps: 1 }),
        Action::KnobDown => state.send(Command::NudgeMainKnob { steps: -1 }),
        Action::Suspend => state.suspend = true,
        Action::Quit => state.quit = true,
        Action::Redraw => {}
    }
}

/// Esc undoes the innermost thing open.
fn back(view: &mut ViewState) {
    if view.help {
        view.help = false;
    } else if diagnostics_nav::back(view) {
    } else if view.filter.editing() {
        view.filter.clear();
    } else if view.tab == Tab::Tasks && !view.detail.is_empty() {
        view.detail.pop();
        view.detail_link = 0;
    } else if view.filter.is_active() {
        view.filter.clear();
    }
}

fn open(state: &mut AppState) {
    if diagnostics_nav::open(state) {
        return;
    }
    let shown = state.frozen.as_ref().unwrap_or(&state.live);
    let view = &mut state.view;
    match view.tab {
        Tab::Tasks => {
            let target = match view.detail_task() {
                Some(id) => detail_links(shown, id).get(view.detail_link).copied(),
                None => {
                    let rows = view.order.rows(shown, &view.row_query());
                    // Nothing selected yet: the first row, as it is highlighted next.
                    let index = view.selected_row(&rows.rows).unwrap_or(0);
                    rows.rows.get(index).map(|r| r.id)
                }
            };
            if let Some(id) = target {
                view.detail.push(id);
                view.detail_link = 0;
            }
        }
        Tab::Demos => {
            if let Some(info) = demos().get(view.demo_cursor) {
                let name = info.name.to_owned();
                view.tab = Tab::Tasks;
                view.detail.clear();
                state.send(Command::SwitchDemo { name });
            }
        }
        Tab::Runtime | Tab::Resources | Tab::Metrics | Tab::Warnings => {}
    }
}

fn click(state: &mut AppState, column: u16, row: u16) {
    let shown = state.frozen.as_ref().unwrap_or(&state.live);
    let view = &mut state.view;
    match hit(shown, view, column, row) {
        Some(Hit::TaskRow { id, index }) => {
            view.selected = Some(id);
            view.selected_hint = index;
        }
        Some(Hit::Demo(i)) => view.demo_cursor = i,
        Some(Hit::DetailLink(i)) => view.detail_link = i,
        Some(Hit::ResourceRow(i)) => {
            let rows = view.resources.rows(shown);
            if let Some(row) = rows.get(i) {
                view.resources.selected = Some(row.key.clone());
                view.resources.selected_hint = i;
            }
        }
        None => {}
    }
}

fn move_selection(state: &mut AppState, to: Move) {
    if state.view.help {
        let context = KeyContext::of(&state.live);
        scroll_help(&mut state.view, context, to);
        return;
    }
    if diagnostics_nav::move_selection(state, to) {
        return;
    }
    let shown = state.frozen.as_ref().unwrap_or(&state.live);
    let view = &mut state.view;
    match view.tab {
        Tab::Tasks => {
            if let Some(id) = view.detail_task() {
                let links = detail_links(shown, id).len();
                if let Some(i) = to.apply(Some(view.detail_link), links) {
                    view.detail_link = i;
                }
                return;
            }
            let target = {
                let rows = view.order.rows(shown, &view.row_query());
                let current = view.selected_row(&rows.rows);
                to.apply(current, rows.rows.len())
                    .map(|i| (rows.rows[i].id, i))
            };
            if let Some((id, index)) = target {
                view.selected = Some(id);
                view.selected_hint = index;
            }
        }
        Tab::Demos => {
            if let Some(i) = to.apply(Some(view.demo_cursor), demos().len()) {
                view.demo_cursor = i;
            }
        }
        Tab::Runtime | Tab::Resources | Tab::Metrics | Tab::Warnings => {}
    }
}

/// Up and down scroll the help when it has more lines than fit.
fn scroll_help(view: &mut ViewState, context: KeyContext, to: Move) {
    let max = crate::ui::help_max_scroll(view.screen, &view.keymap, context);
    view.help_scroll = to
        .apply(Some(view.help_scroll.min(max)), max + 1)
        .unwrap_or(0);
}
