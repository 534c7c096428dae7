//! The pool demo's SQLite file lives in the temp dir while the demo does,
//! and is gone once it is dropped, even outside the runtime.

mod common;

use common::{demo, settings, TestRuntime};

fn pool_files() -> Vec<String> {
    let prefix = format!("taskscope-pool-{}-", std::process::id());
    std::fs::read_dir(std::env::temp_dir())
        .expect("temp dir")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with(&prefix))
        .collect()
}

#[test]
fn pool_database_file_is_removed_with_the_demo() {
    let rt = TestRuntime::new();
    let d = demo("pool");
    for fixed in [false, true] {
        let reports = rt.run(d.clone(), settings(&d, fixed, 2));
        assert!(
            reports.iter().all(|r| r.errors == 0 && r.items == 20),
            "{reports:?}"
        );
    }
    assert_eq!(
        pool_files().len(),
        1,
        "one shared database: {:?}",
        pool_files()
    );
    // Dropped here, on the test thread, where no runtime is current.
    drop(d);
    rt.settle();
    assert_eq!(pool_files(), Vec::<String>::new());
}
