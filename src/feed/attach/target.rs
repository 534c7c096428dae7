//! The address of a console-subscriber target, checked before connecting so
//! a malformed one is one clear line (exit 2), never a retry loop.

use tonic::transport::Uri;

/// Where console-subscriber listens unless told otherwise.
pub const DEFAULT_TARGET: &str = "http://127.0.0.1:6669";

/// `http://host:port`, or `host:port` (http is assumed). Returns the URL to
/// connect to, or why it cannot be one.
pub fn parse_target(text: &str) -> Result<String, String> {
    let text = text.trim();
    let url = if text.contains("://") {
        text.to_owned()
    } else {
        format!("http://{text}")
    };
    let bad = |why: &str| {
        Err(format!(
            "'{text}' is not a target address: {why} (try {DEFAULT_TARGET})"
        ))
    };
    let Ok(uri) = url.parse::<Uri>() else {
        return bad("cannot parse it as a URL");
    };
    match uri.scheme_str() {
        Some("http") => {}
        Some("https") => {
            return bad("https is not supported (console-subscriber serves plain http)")
        }
        _ => return bad("the scheme must be http"),
    }
    let Some(host) = uri.host().filter(|h| !h.is_empty()) else {
        return bad("it has no host");
    };
    if host.contains(' ') {
        return bad("the host has a space in it");
    }
    if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
        return bad("a target has no path or query");
    }
    Ok(url.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_urls_and_host_port() {
        assert_eq!(
            parse_target("http://127.0.0.1:6669").as_deref(),
            Ok("http://127.0.0.1:6669")
        );
        assert_eq!(
            parse_target("localhost:7000/").as_deref(),
            Ok("http://localhost:7000")
        );
        assert_eq!(
            parse_target("http://[::1]:6669").as_deref(),
            Ok("http://[::1]:6669")
        );
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in [
            "not a url",
            "http://[::1",
            "",
            "https://example.com:6669",
            "ftp://host:1",
            "http://host:1/path",
        ] {
            let e = parse_target(bad).expect_err(bad);
            assert!(!e.contains('\n'), "{e}");
        }
    }
}
