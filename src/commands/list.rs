use std::io::Write as _;

pub fn run() -> anyhow::Result<()> {
    let demos = taskscope_demos::catalog();
    let width = demos.iter().map(|d| d.info().name.len()).max().unwrap_or(0);
    let mut out = std::io::stdout().lock();
    for d in demos {
        let info = d.info();
        writeln!(out, "{:width$}  {}", info.name, info.summary)?;
    }
    Ok(())
}
