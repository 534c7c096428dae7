//! The app's state and the one function that changes it.

use tokio::sync::mpsc::UnboundedSender;

use super::Action;
use crate::feed::{Command, Event};
use crate::model::Model;
use crate::ui::ViewState;

pub struct AppState {
    /// Always up to date with the feed.
    live: Model,
    /// What the display shows while paused.
    frozen: Option<Model>,
    pub view: ViewState,
    commands: UnboundedSender<Command>,
    quit: bool,
    dirty: bool,
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
            dirty: true,
        }
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
        if !self.view.paused {
            self.dirty = true;
        }
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

    /// Whether a frame is due, clearing the flag.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    /// Work done once per frame, not per draw call: bring the cached row
    /// order up to date with the shown model.
    pub fn prepare_frame(&mut self) {
        let shown = self.frozen.as_ref().unwrap_or(&self.live);
        self.view.order.refresh(shown, self.view.sort);
    }

    /// Asks the source to stop; it may already be gone.
    pub fn stop_source(&self) {
        self.send(Command::Stop);
    }

    fn send(&self, command: Command) {
        // A closed channel means the source ended; the header says so.
        let _ = self.commands.send(command);
    }
}

enum Move {
    Prev,
    Next,
    First,
    Last,
}

pub fn update(state: &mut AppState, action: Action) {
    state.dirty = true;
    let view = &mut state.view;
    match action {
        Action::SelectPrev => move_selection(state, Move::Prev),
        Action::SelectNext => move_selection(state, Move::Next),
        Action::SelectFirst => move_selection(state, Move::First),
        Action::SelectLast => move_selection(state, Move::Last),
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
        Action::TogglePause => {
            view.paused = !view.paused;
            state.frozen = view.paused.then(|| state.live.clone());
        }
        Action::ToggleHelp => view.help = !view.help,
        Action::CloseHelp => view.help = false,
        Action::ToggleFixed => state.send(Command::ToggleFixed),
        Action::KnobUp => state.send(Command::NudgeMainKnob { steps: 1 }),
        Action::KnobDown => state.send(Command::NudgeMainKnob { steps: -1 }),
        Action::Quit => state.quit = true,
        Action::Redraw => {}
    }
}

fn move_selection(state: &mut AppState, to: Move) {
    let shown = state.frozen.as_ref().unwrap_or(&state.live);
    let view = &mut state.view;
    let target = {
        let ids = view.order.ids(shown, view.sort);
        let Some(last) = ids.len().checked_sub(1) else {
            return;
        };
        let current = view.selected_index(&ids);
        let index = match (to, current) {
            (Move::First, _) | (Move::Prev | Move::Next, None) => 0,
            (Move::Last, _) => last,
            (Move::Prev, Some(i)) => i.saturating_sub(1),
            (Move::Next, Some(i)) => (i + 1).min(last),
        };
        (ids[index], index)
    };
    view.selected = Some(target.0);
    view.selected_hint = target.1;
}
