//! Where each part of the screen goes, shared by drawing and by mouse
//! hit-testing so the two cannot disagree.

use ratatui::layout::{Constraint, Layout, Rect};

use super::{MIN_HEIGHT, MIN_WIDTH, SIDE_COLUMN_MIN_WIDTH, SIDE_COLUMN_WIDTH};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScreenAreas {
    pub header: Rect,
    pub state: Rect,
    /// Where the current tab draws.
    pub body: Rect,
    /// Warnings and the running demo, on wide terminals only.
    pub side: Option<Rect>,
    pub footer: Rect,
}

/// None when the screen is too small for anything but a notice.
#[must_use]
pub fn screen_areas(area: Rect) -> Option<ScreenAreas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let [header, state, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (body, side) = if area.width >= SIDE_COLUMN_MIN_WIDTH {
        let [main, side] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(SIDE_COLUMN_WIDTH)])
                .areas(body);
        (main, Some(side))
    } else {
        (body, None)
    };
    Some(ScreenAreas {
        header,
        state,
        body,
        side,
        footer,
    })
}
