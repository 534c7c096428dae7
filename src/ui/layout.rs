//! Where each part of the screen goes, shared by drawing and by mouse
//! hit-testing so the two cannot disagree.

use ratatui::layout::{Constraint, Layout, Rect};

use super::{MIN_HEIGHT, MIN_WIDTH, SIDE_COLUMN_MIN_WIDTH, SIDE_COLUMN_WIDTH};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScreenAreas {
    pub header: Rect,
    /// The replay's progress bar, under the header, over a replay only.
    pub progress: Option<Rect>,
    pub state: Rect,
    /// Where the current tab draws.
    pub body: Rect,
    /// Warnings and the running demo, on wide terminals only.
    pub side: Option<Rect>,
    pub footer: Rect,
}

/// None when the screen is too small for anything but a notice.
/// `progress`: leave a line for the replay's progress bar.
#[must_use]
pub fn screen_areas(area: Rect, progress: bool) -> Option<ScreenAreas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let [header, progress_line, state, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(progress)),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let progress = progress.then_some(progress_line);
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
        progress,
        state,
        body,
        side,
        footer,
    })
}
