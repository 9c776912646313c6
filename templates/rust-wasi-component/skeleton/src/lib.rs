//! ${{ values.name }}: a wasi:http component (proxy world, incoming-handler).

pub mod routes;

#[cfg(target_arch = "wasm32")]
mod component {
    use wasi::http::types::{
        Fields, IncomingRequest, Method, OutgoingBody, OutgoingResponse, ResponseOutparam,
    };

    struct Component;

    wasi::http::proxy::export!(Component);

    impl wasi::exports::http::incoming_handler::Guest for Component {
        fn handle(request: IncomingRequest, response_out: ResponseOutparam) {
            let method = match request.method() {
                Method::Get => "GET",
                Method::Head => "HEAD",
                Method::Post => "POST",
                Method::Put => "PUT",
                Method::Delete => "DELETE",
                _ => "OTHER",
            };
            let path = request.path_with_query().unwrap_or_else(|| "/".to_string());
            let reply = crate::routes::route(method, &path);

            let headers = Fields::new();
            let _ = headers.set("content-type", &[reply.content_type.as_bytes().to_vec()]);
            let response = OutgoingResponse::new(headers);
            let _ = response.set_status_code(reply.status);
            let body = response.body().expect("response body");
            ResponseOutparam::set(response_out, Ok(response));
            let stream = body.write().expect("body stream");
            let _ = stream.blocking_write_and_flush(reply.body.as_bytes());
            drop(stream);
            let _ = OutgoingBody::finish(body, None);
        }
    }
}
