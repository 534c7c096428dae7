//! Which table columns fit a width: shared by the tasks and resources tables.

/// `all` minus the columns of `drop_order`, dropped in that order, until
/// their widths plus one space between each fit `width`.
pub fn fit_columns<C: Copy + PartialEq>(
    all: &[C],
    drop_order: &[C],
    width: u16,
    column_width: impl Fn(C) -> u16,
) -> Vec<C> {
    let mut columns = all.to_vec();
    let needed = |cols: &[C]| -> u16 {
        let spacing = u16::try_from(cols.len().saturating_sub(1)).unwrap_or(u16::MAX);
        cols.iter().map(|c| column_width(*c)).sum::<u16>() + spacing
    };
    for drop in drop_order {
        if needed(&columns) <= width {
            break;
        }
        columns.retain(|c| c != drop);
    }
    columns
}
