//! `taskscope attach` with nothing to attach to: one line, no panic.

mod support;

use support::cli::run as taskscope;

/// A port nobody listens on: bound, then released.
fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

fn assert_one_line(out: &std::process::Output, what: &str) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert_eq!(err.trim().lines().count(), 1, "{what}: {err}");
    err
}

#[test]
fn an_unreachable_target_is_one_line_and_a_failure() {
    let url = format!("http://127.0.0.1:{}", free_port());
    let start = std::time::Instant::now();
    let out = taskscope(&["attach", &url, "--headless", "--duration", "5s"]);
    let err = assert_one_line(&out, &url);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot attach") && err.contains(&url), "{err}");
    assert!(
        start.elapsed().as_secs() < 5,
        "gave up only after the duration"
    );
}

#[test]
fn a_malformed_target_is_one_line_and_exit_code_2() {
    for bad in [
        "not a url",
        "http://[::1",
        "https://127.0.0.1:6669",
        "ftp://x:1",
    ] {
        let out = taskscope(&["attach", bad, "--headless", "--duration", "1s"]);
        let err = assert_one_line(&out, bad);
        assert_eq!(out.status.code(), Some(2), "{bad}: {err}");
        assert!(err.contains("not a target address"), "{bad}: {err}");
    }
}

#[cfg(not(feature = "console"))]
#[test]
fn console_commands_say_how_to_get_them() {
    for args in [
        &["serve", "gather"][..],
        &["demo", "gather", "--engine", "console", "--headless"],
    ] {
        let out = taskscope(args);
        let err = assert_one_line(&out, &args.join(" "));
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("--features console"), "{err}");
    }
}
