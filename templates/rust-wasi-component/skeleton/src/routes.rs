//! Request routing, independent of the WASI types so it is unit-tested on the host.

/// A response to write: status code, content type and body.
#[derive(Debug, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

impl Reply {
    fn json(status: u16, body: String) -> Self {
        Reply {
            status,
            content_type: "application/json",
            body,
        }
    }
}

/// The body of `GET /`: which service answers.
const SERVICE: &str = r#"{"service":"${{ values.name }}"}"#;

/// Routes a request by method and path (the path may carry a query string).
pub fn route(method: &str, path_with_query: &str) -> Reply {
    let path = path_with_query.split('?').next().unwrap_or("/");
    match (method, path) {
        ("GET", "/healthz") => Reply::json(200, r#"{"status":"ok"}"#.to_string()),
        ("GET", "/") => Reply::json(200, SERVICE.to_string()),
        ("GET", p) if p.starts_with("/hello/") => {
            let name: String = p["/hello/".len()..]
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .take(64)
                .collect();
            if name.is_empty() {
                Reply::json(400, r#"{"error":"name required"}"#.to_string())
            } else {
                Reply::json(200, format!(r#"{{"greeting":"hello, {name}"}}"#))
            }
        }
        ("GET", _) => Reply::json(404, r#"{"error":"not found"}"#.to_string()),
        _ => Reply::json(405, r#"{"error":"method not allowed"}"#.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_and_root() {
        assert_eq!(route("GET", "/healthz").body, r#"{"status":"ok"}"#);
        let root = route("GET", "/?x=1");
        assert_eq!((root.status, root.body.as_str()), (200, SERVICE));
        assert_eq!(root.content_type, "application/json");
    }

    #[test]
    fn long_names_are_cut_to_64_characters() {
        let reply = route("GET", &format!("/hello/{}", "a".repeat(100)));
        assert_eq!(
            reply.body,
            format!(r#"{{"greeting":"hello, {}"}}"#, "a".repeat(64))
        );
    }

    #[test]
    fn greets_with_a_sanitised_name() {
        assert_eq!(
            route("GET", "/hello/ada<script>").body,
            r#"{"greeting":"hello, adascript"}"#
        );
        assert_eq!(route("GET", "/hello/").status, 400);
    }

    #[test]
    fn unknown_paths_and_methods() {
        assert_eq!(route("GET", "/nope").status, 404);
        assert_eq!(route("POST", "/").status, 405);
        assert_eq!(route("DELETE", "/healthz").status, 405);
    }
}
