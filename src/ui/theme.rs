//! Every style the UI uses, in one place, with a no-colour variant.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;
use ratatui::text::Span;
use ratatui::widgets::Block;

use super::Glyphs;
use crate::model::TaskState;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub glyphs: Glyphs,
    pub color: bool,
}

impl Theme {
    /// `ascii`: ASCII glyphs only; `color`: use colours at all.
    #[must_use]
    pub fn new(ascii: bool, color: bool) -> Self {
        Self {
            glyphs: Glyphs { ascii },
            color,
        }
    }

    /// Like [`Theme::new`], with colour turned off when `NO_COLOR` is set
    /// to anything non-empty (<https://no-color.org>).
    #[must_use]
    pub fn from_env(ascii: bool, color: bool) -> Self {
        Self::new(ascii, color && !no_color_requested())
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    #[must_use]
    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    #[must_use]
    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    #[must_use]
    pub fn border(&self) -> Style {
        self.dim()
    }

    /// A bordered block with `title`, in box-drawing or ASCII lines.
    #[must_use]
    pub fn block(&self, title: impl Into<String>) -> Block<'static> {
        let block = Block::bordered()
            .border_style(self.border())
            .title(Span::styled(title.into(), self.title()));
        if self.glyphs.ascii {
            block.border_set(ASCII_BORDER)
        } else {
            block
        }
    }

    #[must_use]
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    #[must_use]
    pub fn table_header(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    #[must_use]
    pub fn sorted_column(&self) -> Style {
        self.fg(Color::Cyan)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    #[must_use]
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// PAUSED and "ended": must be seen at a glance, colour or not.
    #[must_use]
    pub fn status(&self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    #[must_use]
    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow)
    }

    /// Sparklines and distributions other than busy share.
    #[must_use]
    pub fn spark(&self) -> Style {
        self.fg(Color::Cyan)
    }

    #[must_use]
    pub fn busy_bar(&self) -> Style {
        self.fg(Color::Green)
    }

    #[must_use]
    pub fn state(&self, state: TaskState) -> Style {
        match state {
            TaskState::Running => self.fg(Color::Green).add_modifier(Modifier::BOLD),
            TaskState::Scheduled => self.fg(Color::Yellow),
            TaskState::Idle => self.fg(Color::Blue),
            TaskState::Done => self.dim(),
        }
    }
}

const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}
