//! The connections a load runs on, for a plain `http://` URL: HTTP/1.1 on
//! hyper, each connection kept alive and handed from one request to the
//! next, at most one request on each at a time. A general client (a pool
//! keyed by host, proxies looked up, the URL converted on every request)
//! costs a load generator a fifth of its rate; `https://` goes through
//! one all the same, for its TLS.

use std::net::SocketAddr;
use std::sync::Mutex;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;

use super::open_loop::Failure;

pub struct Connections {
    addr: SocketAddr,
    /// `Host:` as the URL names it.
    host: http::HeaderValue,
    path: http::Uri,
    idle: Mutex<Vec<SendRequest<Empty<Bytes>>>>,
}

impl Connections {
    /// For `url`, its host looked up once.
    pub async fn new(url: &reqwest::Url) -> Result<Connections, String> {
        let host = url.host_str().ok_or("the URL has no host")?;
        let port = url.port_or_known_default().unwrap_or(80);
        let addr = tokio::net::lookup_host((host, port))
            .await
            .map_err(|e| format!("cannot look up {host}: {e}"))?
            .next()
            .ok_or_else(|| format!("{host} has no address"))?;
        let authority = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        let mut path = url.path().to_string();
        if let Some(query) = url.query() {
            path.push('?');
            path.push_str(query);
        }
        Ok(Connections {
            addr,
            host: http::HeaderValue::from_str(&authority)
                .map_err(|e| format!("the host is not a header value: {e}"))?,
            path: path
                .parse()
                .map_err(|e| format!("the path is not a request target: {e}"))?,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// One GET, on an idle connection or a new one: the status and the
    /// body's length.
    pub async fn get(&self) -> Result<(u16, u64), Failure> {
        let mut sender = match self.take_idle() {
            Some(sender) => sender,
            None => self.connect().await?,
        };
        let request = http::Request::get(self.path.clone())
            .header(http::header::HOST, self.host.clone())
            .body(Empty::new())
            .map_err(|_| Failure::Broken)?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|_| Failure::Broken)?;
        let status = response.status().as_u16();
        let mut body = response.into_body();
        let mut bytes = 0u64;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| Failure::Broken)?;
            if let Some(data) = frame.data_ref() {
                bytes += data.len() as u64;
            }
        }
        // Kept for the next request unless the server closed it.
        if !sender.is_closed()
            && let Ok(mut idle) = self.idle.lock()
        {
            idle.push(sender);
        }
        Ok((status, bytes))
    }

    fn take_idle(&self) -> Option<SendRequest<Empty<Bytes>>> {
        let mut idle = self.idle.lock().ok()?;
        while let Some(sender) = idle.pop() {
            if sender.is_ready() {
                return Some(sender);
            }
        }
        None
    }

    async fn connect(&self) -> Result<SendRequest<Empty<Bytes>>, Failure> {
        let stream = tokio::net::TcpStream::connect(self.addr)
            .await
            .map_err(|_| Failure::Refused)?;
        let _ = stream.set_nodelay(true);
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|_| Failure::Broken)?;
        // The connection's own task reads and writes; it ends with it.
        tokio::spawn(connection);
        Ok(sender)
    }
}
